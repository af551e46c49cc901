using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

// The plain decoder: entries in exactly the plain encoder's form, read by hand in two passes.
internal static partial class RescueEntryCodec
{
    [ThreadStatic]
    private static PlainField[]? t_plain;

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
}
