using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;

namespace Wp.Core.Rescue;

// The plain encoder: entries of printable-ASCII records without floats, written by hand.
internal static partial class RescueEntryCodec
{
    /// <summary>Printable ASCII except <c>"</c> and <c>\</c>: text that JSON writes byte for byte, unescaped.</summary>
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>The ASCII bytes outside <see cref="PlainAscii"/>: controls, DEL, <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<byte> NotPlainBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F]);

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

        var fields = record.FieldSpan;
        var size = 16;
        foreach (ref readonly var field in fields)
        {
            if (field.Value.Kind == ValueKind.Float)
            {
                return false;
            }

            // ,[" name "," kind "," text "] is 13 bytes around name and text; an int adds at most 20
            // digits, a time MaxDateTimeBytes and its quotes.
            size += field.Name.Length + field.Value.Text.Length + 16 + MaxDateTimeBytes;
        }

        // Names and texts are narrowed straight into place and checked there (one pass over bytes);
        // nothing is committed until the whole entry is written, so a refusal leaves no trace.
        var buffer = output.GetSpan(size);
        var pos = Put(buffer, 0, "{\"v\":1,\"f\":["u8);
        for (var i = 0; i < fields.Length; i++)
        {
            ref readonly var field = ref fields[i];
            var value = field.Value;
            pos = Put(buffer, pos, i == 0 ? "[\""u8 : ",[\""u8);
            if (!TryPutPlain(buffer, ref pos, field.Name))
            {
                return false;
            }

            switch (value.Kind)
            {
                case ValueKind.String:
                case ValueKind.Ip:
                    pos = Put(buffer, pos, value.Kind == ValueKind.String ? "\",\"s\",\""u8 : "\",\"ip\",\""u8);
                    if (!TryPutPlain(buffer, ref pos, value.Text))
                    {
                        return false;
                    }

                    pos = Put(buffer, pos, "\"]"u8);
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

    /// <summary>The longest time text: <c>yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm</c>.</summary>
    private const int MaxDateTimeBytes = 33;

    /// <summary>Writes <paramref name="text"/> as ASCII at <paramref name="pos"/>; false when it is not plain (see <see cref="PlainAscii"/>).</summary>
    private static bool TryPutPlain(Span<byte> buffer, ref int pos, ReadOnlySpan<char> text)
    {
        var destination = buffer[pos..];
        if (Ascii.FromUtf16(text, destination, out var written) != OperationStatus.Done
            || destination[..written].ContainsAny(NotPlainBytes))
        {
            return false;
        }

        pos += written;
        return true;
    }

    private static int Put(Span<byte> buffer, int pos, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[pos..]);
        return pos + bytes.Length;
    }

    /// <summary>
    /// A time written with an offset keeps it (docs/configuration.md) as ISO 8601 <c>+hh:mm</c>, the form
    /// <see cref="Utf8JsonWriter"/> gives a <see cref="DateTimeOffset"/>, so both encoders stay byte-identical.
    /// </summary>
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

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> with trailing fraction zeros dropped and no offset: what
    /// <see cref="Utf8JsonWriter"/> writes for a <see cref="DateTimeKind.Unspecified"/> value.
    /// </summary>
    private static int PutDateTime(Span<byte> buffer, int pos, DateTime value)
    {
        // The text formats' date and time, with ISO 8601's 'T' between them.
        TextEscaping.WriteDateTime(buffer[pos..], value);
        buffer[pos + 10] = (byte)'T';
        pos += TextEscaping.DateTimeLength;
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

    private static int Digits(Span<byte> buffer, int pos, int value, int width)
    {
        for (var i = pos + width - 1; i >= pos; i--)
        {
            buffer[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return pos + width;
    }
}
