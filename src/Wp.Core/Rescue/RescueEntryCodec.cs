using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

/// <summary>
/// Rescue entries (SPEC §8.3): one JSON object per line, versioned and self-describing.
/// <code>
/// {"v":1,"f":[["sip","ip","10.0.0.1"],["status","i",200],["msg","s","GET /"]]}
/// {"v":1,"raw":"an unparsed line"}
/// </code>
/// Each field is <c>[name, kind, value]</c> with kinds <c>s</c> string, <c>i</c> int, <c>f</c> float,
/// <c>b</c> bool, <c>ip</c> IP (text as written), <c>t</c> date-time (ISO 8601 without zone, full
/// 100 ns precision), <c>_</c> ignored (value <c>null</c>). Floats are JSON numbers in shortest
/// round-trip form; the non-finite ones are the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c>, and a NaN with a non-default payload is <c>"NaN:&lt;16 hex digits&gt;"</c>, so
/// every double survives bit for bit.
/// </summary>
/// <remarks>
/// Hot path (replay targets 1M+ entries/s): encoding goes through a reused <see cref="Utf8JsonWriter"/>
/// into the caller's pooled buffer; decoding is one <see cref="Utf8JsonReader"/> pass, field names are
/// interned through a small per-thread cache, and all string values of one entry share one char array.
/// Strings are UTF-16 in memory and UTF-8 on disk: a lone surrogate (invalid UTF-16, which no UTF-8
/// source can produce) is written as U+FFFD.
/// </remarks>
internal static class RescueEntryCodec
{
    public const int Version = 1;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keeps non-ASCII text (e.g. CJK) readable and compact; quotes, backslashes and control
        // characters are still escaped, so an entry is always exactly one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

    private static readonly long DefaultNaNBits = BitConverter.DoubleToInt64Bits(double.NaN);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static NameCache? t_names;

    /// <summary>Appends one entry for <paramref name="record"/> and a terminating <c>\n</c>.</summary>
    public static void Encode(Record record, IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
            t_writer = writer;
        }
        else
        {
            // One writer per thread, reset per entry: a reset writer emits no ',' between entries.
            writer.Reset(output);
        }

        writer.WriteStartObject();
        writer.WriteNumber("v"u8, Version);
        if (record.Raw is { } raw)
        {
            writer.WriteString("raw"u8, raw);
        }
        else
        {
            writer.WriteStartArray("f"u8);
            var fields = record.Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                WriteField(writer, fields[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>
    /// Decodes one entry line (a trailing <c>\r</c>/<c>\n</c> is allowed). Does not throw: on any
    /// bad input it returns false with a short reason in <paramref name="error"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record, out string? error)
    {
        try
        {
            return TryDecodeCore(utf8Line, out record, out error);
        }
        catch (JsonException ex)
        {
            record = null;
            error = "not a JSON entry: " + ex.Message;
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            record = null;
            error = "malformed entry: " + ex.Message;
            return false;
        }
    }

    private static void WriteField(Utf8JsonWriter writer, Field field)
    {
        var value = field.Value;
        writer.WriteStartArray();
        writer.WriteStringValue(field.Name);
        switch (value.Kind)
        {
            case ValueKind.String:
                writer.WriteStringValue("s"u8);
                writer.WriteStringValue(value.Text);
                break;
            case ValueKind.Int:
                writer.WriteStringValue("i"u8);
                writer.WriteNumberValue(value.AsInt);
                break;
            case ValueKind.Float:
                writer.WriteStringValue("f"u8);
                WriteFloat(writer, value.AsFloat);
                break;
            case ValueKind.Bool:
                writer.WriteStringValue("b"u8);
                writer.WriteBooleanValue(value.AsBool);
                break;
            case ValueKind.Ip:
                writer.WriteStringValue("ip"u8);
                writer.WriteStringValue(value.Text);
                break;
            case ValueKind.DateTime:
                writer.WriteStringValue("t"u8);
                writer.WriteStringValue(value.AsDateTime); // Kind is Unspecified: no offset written
                break;
            default:
                writer.WriteStringValue("_"u8);
                writer.WriteNullValue();
                break;
        }

        writer.WriteEndArray();
    }

    private static void WriteFloat(Utf8JsonWriter writer, double d)
    {
        if (double.IsFinite(d))
        {
            writer.WriteNumberValue(d); // shortest round-trip form; -0 stays "-0"
        }
        else if (double.IsPositiveInfinity(d))
        {
            writer.WriteStringValue("Infinity"u8);
        }
        else if (double.IsNegativeInfinity(d))
        {
            writer.WriteStringValue("-Infinity"u8);
        }
        else
        {
            var bits = BitConverter.DoubleToInt64Bits(d);
            if (bits == DefaultNaNBits)
            {
                writer.WriteStringValue("NaN"u8);
            }
            else
            {
                Span<char> text = stackalloc char[20];
                "NaN:".CopyTo(text);
                bits.TryFormat(text[4..], out var written, "X16", CultureInfo.InvariantCulture);
                writer.WriteStringValue(text[..(4 + written)]);
            }
        }
    }

    private static bool TryDecodeCore(ReadOnlySpan<byte> line, out Record? record, out string? error)
    {
        record = null;
        if (line.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Fail("empty line", out error);
        }

        var reader = new Utf8JsonReader(line, ReaderOptions);
        reader.Read();

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail("not a JSON object", out error);
        }

        var version = -1;
        string? raw = null;
        Record? fields = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("v"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out version))
                {
                    return Fail("\"v\" is not an integer", out error);
                }

                if (version != Version)
                {
                    return Fail($"unsupported entry version {version}", out error);
                }
            }
            else if (reader.ValueTextEquals("raw"u8))
            {
                if (raw is not null || fields is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return Fail("\"raw\" must be the entry's only string payload", out error);
                }

                raw = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("f"u8))
            {
                if (raw is not null || fields is not null || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return Fail("\"f\" must be the entry's only field array", out error);
                }

                if (!TryReadFields(ref reader, line.Length, out fields, out error))
                {
                    return false;
                }
            }
            else
            {
                return Fail($"unknown property \"{reader.GetString()}\"", out error);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Fail("entry object not closed", out error);
        }

        if (reader.Read())
        {
            return Fail("text after the entry", out error);
        }

        if (version < 0)
        {
            return Fail("missing \"v\"", out error);
        }

        record = raw is not null ? Record.FromRaw(raw) : fields;
        if (record is null)
        {
            return Fail("neither \"f\" nor \"raw\"", out error);
        }

        error = null;
        return true;
    }

    private static bool TryReadFields(ref Utf8JsonReader reader, int lineLength, out Record? record, out string? error)
    {
        record = new Record();
        char[]? chars = null; // every string value of the entry is a slice of this one array
        var used = 0;
        var names = t_names ??= new NameCache();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                error = null;
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return Fail($"field {record.Count}: not an array", out error);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return Fail($"field {record.Count}: name is not a string", out error);
            }

            var name = names.Get(ref reader);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
            {
                return Fail($"field {record.Count} ({name}): kind is not a string", out error);
            }

            var kind = reader.ValueSpan;
            if (!reader.Read())
            {
                return Fail($"field {record.Count} ({name}): no value", out error);
            }

            Value value;
            if (kind.SequenceEqual("s"u8) || kind.SequenceEqual("ip"u8))
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Fail($"field {record.Count} ({name}): text value is not a string", out error);
                }

                // UTF-16 length never exceeds the UTF-8 (escaped) length of the whole line.
                chars ??= new char[lineLength];
                var n = reader.CopyString(chars.AsSpan(used));
                var text = new ReadOnlyMemory<char>(chars, used, n);
                used += n;
                value = kind[0] == (byte)'s' ? Value.String(text) : Value.Ip(text);
            }
            else if (kind.SequenceEqual("i"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var l))
                {
                    return Fail($"field {record.Count} ({name}): not a 64-bit integer", out error);
                }

                value = Value.Int(l);
            }
            else if (kind.SequenceEqual("f"u8))
            {
                if (!TryReadFloat(ref reader, out var d))
                {
                    return Fail($"field {record.Count} ({name}): not a float", out error);
                }

                value = Value.Float(d);
            }
            else if (kind.SequenceEqual("b"u8))
            {
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return Fail($"field {record.Count} ({name}): not a bool", out error);
                }

                value = Value.Bool(reader.TokenType == JsonTokenType.True);
            }
            else if (kind.SequenceEqual("t"u8))
            {
                if (!TryReadDateTime(ref reader, out var dt))
                {
                    return Fail($"field {record.Count} ({name}): not an ISO 8601 date-time without zone", out error);
                }

                value = Value.DateTime(dt);
            }
            else if (kind.SequenceEqual("_"u8))
            {
                if (reader.TokenType != JsonTokenType.Null)
                {
                    return Fail($"field {record.Count} ({name}): ignored value must be null", out error);
                }

                value = Value.Ignore;
            }
            else
            {
                return Fail($"field {record.Count} ({name}): unknown kind \"{Encoding.UTF8.GetString(kind)}\"", out error);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return Fail($"field {record.Count} ({name}): more than [name, kind, value]", out error);
            }

            record.Add(name, value);
        }

        return Fail("field array not closed", out error);
    }

    private static bool TryReadFloat(ref Utf8JsonReader reader, out double d)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out d);
        }

        d = 0;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var s = reader.ValueSpan;
        if (s.SequenceEqual("NaN"u8))
        {
            d = double.NaN;
            return true;
        }

        if (s.SequenceEqual("Infinity"u8))
        {
            d = double.PositiveInfinity;
            return true;
        }

        if (s.SequenceEqual("-Infinity"u8))
        {
            d = double.NegativeInfinity;
            return true;
        }

        if (s.Length == 20 && s.StartsWith("NaN:"u8)
            && long.TryParse(s[4..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
        {
            d = BitConverter.Int64BitsToDouble(bits);
            return double.IsNaN(d);
        }

        return false;
    }

    private static bool TryReadDateTime(ref Utf8JsonReader reader, out DateTime dt)
    {
        dt = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        // Only zone-less times: an offset would make the reader convert to this machine's local time.
        var s = reader.ValueSpan;
        if (s.Length < 19 || s.Length > 27 || s.IndexOfAny("Z+"u8) >= 0 || s[10..].IndexOf((byte)'-') >= 0)
        {
            return false;
        }

        return reader.TryGetDateTime(out dt);
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }

    /// <summary>
    /// Field names repeat on every line; this direct-mapped cache turns their UTF-8 bytes back
    /// into the same string instances instead of allocating one per field per line.
    /// </summary>
    private sealed class NameCache
    {
        private const int Slots = 256;
        private readonly byte[]?[] _keys = new byte[Slots][];
        private readonly string?[] _names = new string[Slots];

        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return reader.GetString()!;
            }

            var utf8 = reader.ValueSpan;
            var slot = (int)((uint)Hash(utf8) % Slots);
            var key = _keys[slot];
            if (key is not null && utf8.SequenceEqual(key))
            {
                return _names[slot]!;
            }

            var name = reader.GetString()!;
            _keys[slot] = utf8.ToArray();
            _names[slot] = name;
            return name;
        }

        private static int Hash(ReadOnlySpan<byte> utf8)
        {
            var hash = unchecked((int)2166136261);
            foreach (var b in utf8)
            {
                hash = unchecked((hash ^ b) * 16777619);
            }

            return hash;
        }
    }
}
