using System.Globalization;
using System.Text;
using System.Text.Json;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

// The general decoder: any entry (and every malformed one), through one Utf8JsonReader pass.
internal static partial class RescueEntryCodec
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

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
                if (!TryReadDateTime(ref reader, out var dt, out var offset))
                {
                    return Fail($"field {record.Count} ({name}): not an ISO 8601 date-time (zone-less, or with a +hh:mm offset)", out error);
                }

                value = Value.DateTime(dt, offset);
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

    private static bool TryReadDateTime(ref Utf8JsonReader reader, out DateTime dt, out TimeSpan? offset)
    {
        dt = default;
        offset = null;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var s = reader.ValueSpan;
        // A trailing "+hh:mm" / "-hh:mm" is the offset the time was written with: split off by hand
        // (the reader would convert an offset time to this machine's local time).
        offset = SplitOffset(ref s);
        if (offset is not null)
        {
            return TryPlainDateTime(s, out dt);
        }

        // Otherwise only zone-less times.
        if (s.Length < 19 || s.Length > 27 || s.IndexOfAny("Z+"u8) >= 0 || s[10..].IndexOf((byte)'-') >= 0)
        {
            return false;
        }

        return reader.TryGetDateTime(out dt);
    }
}
