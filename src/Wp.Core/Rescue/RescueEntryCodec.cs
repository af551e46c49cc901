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

    [ThreadStatic]
    private static PlainField[]? t_plain;


    /// <summary>Printable ASCII except <c>"</c> and <c>\</c>: text that JSON writes byte for byte, unescaped.</summary>
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Appends one entry for <paramref name="record"/> and a terminating <c>\n</c>.</summary>
    public static void Encode(Record record, IBufferWriter<byte> output)
    {
        if (!TryEncodePlain(record, output))
        {
            EncodeWithWriter(record, output);
        }
    }

    /// <summary>
    /// The common case written by hand: every name and text is plain ASCII (<see cref="PlainAscii"/>) and
    /// no value is a float. The bytes are exactly what <see cref="EncodeWithWriter"/> writes (a test
    /// holds the two together), at a fraction of the cost. Returns false, having committed nothing,
    /// for any other record.
    /// </summary>
    private static bool TryEncodePlain(Record record, IBufferWriter<byte> output)
    {
        if (record.Raw is { } raw)
        {
            if (raw.AsSpan().ContainsAnyExcept(PlainAscii))
            {
                return false;
            }

            var span = output.GetSpan(raw.Length + 24);
            var n = Put(span, 0, "{\"v\":1,\"raw\":\""u8);
            n += Ascii.FromUtf16(raw, span[n..], out var written) == OperationStatus.Done ? written : throw new InvalidOperationException();
            n = Put(span, n, "\"}\n"u8);
            output.Advance(n);
            return true;
        }

        var fields = record.Fields;
        var size = 16;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (field.Value.Kind == ValueKind.Float || field.Name.AsSpan().ContainsAnyExcept(PlainAscii)
                || field.Value.Text.ContainsAnyExcept(PlainAscii))
            {
                return false;
            }

            // [" name "," kind "," text "] + separators; numbers and times need at most 28.
            size += field.Name.Length + field.Value.Text.Length + 40;
        }

        var buffer = output.GetSpan(size);
        var pos = Put(buffer, 0, "{\"v\":1,\"f\":["u8);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var value = field.Value;
            pos = Put(buffer, pos, i == 0 ? "[\""u8 : ",[\""u8);
            Ascii.FromUtf16(field.Name, buffer[pos..], out var nameBytes);
            pos += nameBytes;
            switch (value.Kind)
            {
                case ValueKind.String:
                case ValueKind.Ip:
                    pos = Put(buffer, pos, value.Kind == ValueKind.String ? "\",\"s\",\""u8 : "\",\"ip\",\""u8);
                    Ascii.FromUtf16(value.Text, buffer[pos..], out var textBytes);
                    pos = Put(buffer, pos + textBytes, "\"]"u8);
                    break;
                case ValueKind.Int:
                    pos = Put(buffer, pos, "\",\"i\","u8);
                    value.AsInt.TryFormat(buffer[pos..], out var intBytes, default, CultureInfo.InvariantCulture);
                    pos = Put(buffer, pos + intBytes, "]"u8);
                    break;
                case ValueKind.Bool:
                    pos = Put(buffer, pos, value.AsBool ? "\",\"b\",true]"u8 : "\",\"b\",false]"u8);
                    break;
                case ValueKind.DateTime:
                    pos = Put(buffer, pos, "\",\"t\",\""u8);
                    pos = PutDateTime(buffer, pos, value.AsDateTime);
                    pos = PutOffset(buffer, pos, value.Offset);
                    pos = Put(buffer, pos, "\"]"u8);
                    break;
                default:
                    pos = Put(buffer, pos, "\",\"_\",null]"u8);
                    break;
            }
        }

        pos = Put(buffer, pos, "]}\n"u8);
        output.Advance(pos);
        return true;
    }

    private static int Put(Span<byte> buffer, int pos, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[pos..]);
        return pos + bytes.Length;
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> with trailing fraction zeros dropped and no offset: what
    /// <see cref="Utf8JsonWriter"/> writes for a <see cref="DateTimeKind.Unspecified"/> value.
    /// </summary>
    // A time written with an offset keeps it (SPEC §5.4) as ISO 8601 "+hh:mm", the form
    // Utf8JsonWriter gives a DateTimeOffset, so both encoders stay byte-identical.
    private static int PutOffset(Span<byte> buffer, int pos, TimeSpan? offset)
    {
        if (offset is not { } o)
        {
            return pos;
        }

        buffer[pos++] = o < TimeSpan.Zero ? (byte)'-' : (byte)'+';
        var minutes = (int)Math.Abs(o.TotalMinutes);
        pos = Digits(buffer, pos, minutes / 60, 2);
        buffer[pos++] = (byte)':';
        return Digits(buffer, pos, minutes % 60, 2);
    }

    private static int PutDateTime(Span<byte> buffer, int pos, DateTime value)
    {
        pos = Digits(buffer, pos, value.Year, 4);
        buffer[pos++] = (byte)'-';
        pos = Digits(buffer, pos, value.Month, 2);
        buffer[pos++] = (byte)'-';
        pos = Digits(buffer, pos, value.Day, 2);
        buffer[pos++] = (byte)'T';
        pos = Digits(buffer, pos, value.Hour, 2);
        buffer[pos++] = (byte)':';
        pos = Digits(buffer, pos, value.Minute, 2);
        buffer[pos++] = (byte)':';
        pos = Digits(buffer, pos, value.Second, 2);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            buffer[pos++] = (byte)'.';
            pos = Digits(buffer, pos, fraction, digits);
        }

        return pos;
    }

    /// <summary>Takes a trailing <c>+hh:mm</c> / <c>-hh:mm</c> off a date-time text; null (text unchanged) when there is none.</summary>
    private static TimeSpan? SplitOffset(ref ReadOnlySpan<byte> s)
    {
        if (s.Length >= 25 && s[^6] is (byte)'+' or (byte)'-' && s[^3] == (byte)':'
            && TwoDigits(s[^5..^3]) is >= 0 and <= 18 and var hours && TwoDigits(s[^2..]) is >= 0 and <= 59 and var minutes)
        {
            var o = new TimeSpan(hours, minutes, 0);
            var negative = s[^6] == (byte)'-';
            s = s[..^6];
            return negative ? -o : o;
        }

        return null;
    }

    private static int TwoDigits(ReadOnlySpan<byte> s) =>
        s.Length == 2 && char.IsAsciiDigit((char)s[0]) && char.IsAsciiDigit((char)s[1]) ? ((s[0] - '0') * 10) + (s[1] - '0') : -1;

    private static int Digits(Span<byte> buffer, int pos, int value, int width)
    {
        for (var i = pos + width - 1; i >= pos; i--)
        {
            buffer[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return pos + width;
    }

    /// <summary>The general encoder: any record, through <see cref="Utf8JsonWriter"/>.</summary>
    internal static void EncodeWithWriter(Record record, IBufferWriter<byte> output)
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
    public static bool TryDecode(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record, out string? error) =>
        TryDecode(utf8Line, plainFastPath: true, out record, out error);

    /// <summary>Like <see cref="TryDecode(ReadOnlySpan{byte}, out Record?, out string?)"/>, always through the JSON reader (for tests).</summary>
    internal static bool TryDecodeWithReader(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record, out string? error) =>
        TryDecode(utf8Line, plainFastPath: false, out record, out error);

    private static bool TryDecode(ReadOnlySpan<byte> utf8Line, bool plainFastPath, [NotNullWhen(true)] out Record? record, out string? error)
    {
        try
        {
            if (plainFastPath && TryDecodePlain(utf8Line, out record))
            {
                error = null;
                return true;
            }

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

    /// <summary>
    /// The common case decoded by hand: an entry in exactly the form <see cref="TryEncodePlain"/> writes
    /// (printable ASCII, no escapes, no floats). Anything else — including every malformed line —
    /// returns false and goes through the JSON reader, which accepts or reports it; so this path only
    /// ever accepts a subset of what the reader accepts, with the same result. Two passes: the first
    /// checks the whole line and notes where each value is, the second builds the record with every
    /// string value in one exactly sized char array.
    /// </summary>
    private static bool TryDecodePlain(ReadOnlySpan<byte> line, [NotNullWhen(true)] out Record? record)
    {
        record = null;
        line = line.TrimEnd(" \t\r\n"u8);
        if (line.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || line.IndexOf((byte)'\\') >= 0)
        {
            return false;
        }

        if (line.StartsWith("{\"v\":1,\"raw\":\""u8))
        {
            var text = line[14..];
            if (!text.EndsWith("\"}"u8) || text[..^2].IndexOf((byte)'"') >= 0)
            {
                return false;
            }

            record = Record.FromRaw(Encoding.ASCII.GetString(text[..^2]));
            return true;
        }

        if (!line.StartsWith("{\"v\":1,\"f\":["u8) || !line.EndsWith("]}"u8))
        {
            return false;
        }

        var fields = t_plain ??= new PlainField[32];
        var names = t_names ??= new NameCache();
        var end = line.Length - 2;
        var pos = 12;
        var count = 0;
        var textChars = 0;
        while (pos < end)
        {
            if (count > 0 && line[pos++] != (byte)',')
            {
                return false;
            }

            if (!TryQuoted(line, end, ref pos, prefix: (byte)'[', out var nameStart, out var nameLength)
                || !TryKind(line, end, ref pos, out var kind))
            {
                return false;
            }

            if (count == fields.Length)
            {
                Array.Resize(ref fields, count * 2);
                t_plain = fields;
            }

            ref var f = ref fields[count];
            f.Name = names.Get(count, line.Slice(nameStart, nameLength));
            if (kind is (byte)'s' or (byte)'p')
            {
                if (pos >= end || line[pos] != (byte)'"'
                    || !TryQuoted(line, end, ref pos, prefix: null, out f.Start, out f.Length))
                {
                    return false;
                }

                f.Kind = kind == (byte)'s' ? ValueKind.String : ValueKind.Ip;
                textChars += f.Length;
            }
            else if (kind == (byte)'i')
            {
                if (!TryPlainInt(line[pos..end], out f.Bits, out var consumed))
                {
                    return false;
                }

                f.Kind = ValueKind.Int;
                pos += consumed;
            }
            else if (kind == (byte)'b')
            {
                var rest = line[pos..end];
                f.Kind = ValueKind.Bool;
                f.Bits = rest.StartsWith("true"u8) ? 1 : rest.StartsWith("false"u8) ? 0 : -1;
                if (f.Bits < 0)
                {
                    return false;
                }

                pos += f.Bits == 1 ? 4 : 5;
            }
            else if (kind == (byte)'t')
            {
                if (!TryQuoted(line, end, ref pos, prefix: null, out var start, out var length))
                {
                    return false;
                }

                var text = line.Slice(start, length);
                f.Offset = SplitOffset(ref text);
                if (!TryPlainDateTime(text, out var dt))
                {
                    return false;
                }

                f.Kind = ValueKind.DateTime;
                f.Bits = dt.Ticks;
            }
            else if (kind == (byte)'_' && line[pos..end].StartsWith("null"u8))
            {
                f.Kind = ValueKind.Ignore;
                pos += 4;
            }
            else
            {
                return false; // floats and anything unexpected: the reader decides
            }

            if (pos >= end || line[pos++] != (byte)']')
            {
                return false;
            }

            count++;
        }

        if (pos != end)
        {
            return false;
        }

        var chars = textChars > 0 ? new char[textChars] : [];
        var used = 0;
        record = new Record(count);
        for (var i = 0; i < count; i++)
        {
            ref var f = ref fields[i];
            Value value;
            switch (f.Kind)
            {
                case ValueKind.String:
                case ValueKind.Ip:
                    Ascii.ToUtf16(line.Slice(f.Start, f.Length), chars.AsSpan(used), out _);
                    var text = new ReadOnlyMemory<char>(chars, used, f.Length);
                    used += f.Length;
                    value = f.Kind == ValueKind.String ? Value.String(text) : Value.Ip(text);
                    break;
                case ValueKind.Int:
                    value = Value.Int(f.Bits);
                    break;
                case ValueKind.Bool:
                    value = Value.Bool(f.Bits != 0);
                    break;
                case ValueKind.DateTime:
                    value = Value.DateTime(new DateTime(f.Bits, DateTimeKind.Unspecified), f.Offset);
                    break;
                default:
                    value = Value.Ignore;
                    break;
            }

            record.Add(f.Name, value);
            f.Name = null!; // do not keep names of a finished entry alive through the scratch
        }

        return true;
    }

    /// <summary>
    /// Reads <c>,"K",</c> for the kinds the plain path decodes — one byte (<c>s i b t _</c>, and
    /// <c>f</c>, which the caller refuses) or <c>ip</c> (returned as <c>p</c>) — without a search.
    /// </summary>
    private static bool TryKind(ReadOnlySpan<byte> line, int end, ref int pos, out byte kind)
    {
        kind = 0;
        if (pos + 5 > end || line[pos] != (byte)',' || line[pos + 1] != (byte)'"')
        {
            return false;
        }

        var k = line[pos + 2];
        if (line[pos + 3] == (byte)'"' && line[pos + 4] == (byte)',')
        {
            kind = k;
            pos += 5;
            return k != (byte)'p';
        }

        if (k == (byte)'i' && line[pos + 3] == (byte)'p' && pos + 6 <= end && line[pos + 4] == (byte)'"' && line[pos + 5] == (byte)',')
        {
            kind = (byte)'p';
            pos += 6;
            return true;
        }

        return false;
    }

    /// <summary>Reads <c>[prefix]"text"</c> at <paramref name="pos"/> (no escapes are possible here).</summary>
    private static bool TryQuoted(ReadOnlySpan<byte> line, int end, ref int pos, byte? prefix, out int start, out int length)
    {
        start = length = 0;
        if (prefix is { } p && (pos >= end || line[pos++] != p))
        {
            return false;
        }

        if (pos >= end || line[pos] != (byte)'"')
        {
            return false;
        }

        var close = line[(pos + 1)..end].IndexOf((byte)'"');
        if (close < 0)
        {
            return false;
        }

        start = pos + 1;
        length = close;
        pos = start + close + 1;
        return true;
    }

    /// <summary>A JSON integer that fits a long: <c>-?(0|[1-9][0-9]*)</c>, up to the next non-digit.</summary>
    private static bool TryPlainInt(ReadOnlySpan<byte> s, out long value, out int consumed)
    {
        value = 0;
        var i = s.Length > 0 && s[0] == (byte)'-' ? 1 : 0;
        var digitsStart = i;
        while (i < s.Length && char.IsAsciiDigit((char)s[i]))
        {
            i++;
        }

        consumed = i;
        var digits = i - digitsStart;
        if (digits == 0 || digits > 19 || (digits > 1 && s[digitsStart] == (byte)'0')
            || (i < s.Length && s[i] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        return long.TryParse(s[..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]</c>, the form the encoder writes; anything else is left to the reader.</summary>
    private static bool TryPlainDateTime(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length < 19 || s.Length == 20 || s.Length > 27 || s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T'
            || s[13] != (byte)':' || s[16] != (byte)':' || (s.Length > 19 && s[19] != (byte)'.'))
        {
            return false;
        }

        if (!Num(s[..4], out var year) || !Num(s.Slice(5, 2), out var month) || !Num(s.Slice(8, 2), out var day)
            || !Num(s.Slice(11, 2), out var hour) || !Num(s.Slice(14, 2), out var minute) || !Num(s.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = 0;
        if (s.Length > 19)
        {
            if (!Num(s[20..], out ticks))
            {
                return false;
            }

            for (var k = s.Length - 20; k < 7; k++)
            {
                ticks *= 10;
            }
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;

        static bool Num(ReadOnlySpan<byte> digits, out int n)
        {
            n = 0;
            foreach (var b in digits)
            {
                if (!char.IsAsciiDigit((char)b))
                {
                    return false;
                }

                n = (n * 10) + (b - '0');
            }

            return true;
        }
    }

    /// <summary>Where one field of a plain entry is, between the two passes of <see cref="TryDecodePlain"/>.</summary>
    private struct PlainField
    {
        public string Name;
        public ValueKind Kind;
        public int Start;
        public int Length;
        public long Bits;
        public TimeSpan? Offset;
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
                if (value.Offset is { } offset)
                {
                    writer.WriteStringValue(new DateTimeOffset(value.AsDateTime, offset));
                }
                else
                {
                    writer.WriteStringValue(value.AsDateTime); // Kind is Unspecified: no offset written
                }

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

            return Get(reader.ValueSpan, fromReader: true, ref reader);
        }

        private readonly byte[]?[] _byPositionKeys = new byte[32][];
        private readonly string?[] _byPositionNames = new string[32];

        /// <summary>
        /// The name of field <paramref name="index"/> of an entry, for unescaped ASCII bytes. Entries of
        /// one file repeat their names in order, so the name at the same position of the previous
        /// entry is checked first (one short compare, no hash).
        /// </summary>
        public string Get(int index, ReadOnlySpan<byte> ascii)
        {
            if (index < _byPositionKeys.Length)
            {
                if (_byPositionKeys[index] is { } key && ascii.SequenceEqual(key))
                {
                    return _byPositionNames[index]!;
                }

                var name = Get(ascii);
                _byPositionKeys[index] = ascii.ToArray();
                _byPositionNames[index] = name;
                return name;
            }

            return Get(ascii);
        }

        /// <summary>The name for unescaped ASCII bytes.</summary>
        public string Get(ReadOnlySpan<byte> ascii)
        {
            var unused = default(Utf8JsonReader);
            return Get(ascii, fromReader: false, ref unused);
        }

        // The reader decodes (and validates) its own value; plain ASCII needs no validation.
        private string Get(ReadOnlySpan<byte> utf8, bool fromReader, ref Utf8JsonReader reader)
        {
            var slot = (int)((uint)Hash(utf8) % Slots);
            var key = _keys[slot];
            if (key is not null && utf8.SequenceEqual(key))
            {
                return _names[slot]!;
            }

            var name = fromReader ? reader.GetString()! : Encoding.ASCII.GetString(utf8);
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
