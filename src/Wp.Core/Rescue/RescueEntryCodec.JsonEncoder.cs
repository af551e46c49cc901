using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

// The general encoder: any record, through a reused Utf8JsonWriter.
internal static partial class RescueEntryCodec
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keeps non-ASCII text (e.g. CJK) readable and compact; quotes, backslashes and control
        // characters are still escaped, so an entry is always exactly one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly long DefaultNaNBits = BitConverter.DoubleToInt64Bits(double.NaN);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

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
                    // By hand, as the plain encoder writes it: a DateTimeOffset refuses offsets past
                    // 14 h (values keep up to 18 h) and instants outside years 1-9999.
                    Span<byte> text = stackalloc byte[MaxDateTimeBytes];
                    writer.WriteStringValue(text[..PutOffset(text, PutDateTime(text, 0, value.AsDateTime), offset)]);
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
}
