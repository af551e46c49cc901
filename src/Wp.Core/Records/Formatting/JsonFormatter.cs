namespace Wp.Core.Records.Formatting;

/// <summary>
/// <c>{"sip":"10.0.0.1","status":200,"msg":"GET /"}</c> (docs/configuration.md, output formats): one JSON object per line.
/// Names and strings are JSON-escaped; IPs and datetimes are JSON strings; ints and bools bare;
/// finite floats bare (round-trip form), and NaN/±Infinity — which JSON cannot express — as
/// <c>null</c>. A record with no visible field is <c>{}</c>. Stateless: one shared instance.
/// </summary>
internal sealed class JsonFormatter : IRecordFormatter
{
    public static readonly JsonFormatter Instance = new();

    private JsonFormatter()
    {
    }

    public void Format(Record record, TextBuffer output)
    {
        if (record.Raw is { } raw)
        {
            TextEscaping.AppendRawLine(output, raw);
            return;
        }

        output.Append('{');
        var first = true;
        foreach (ref readonly var field in record.FieldSpan)
        {
            if (field.IsHidden)
            {
                continue;
            }

            if (!first)
            {
                output.Append(',');
            }

            first = false;
            TextEscaping.AppendJsonString(output, field.Name);
            output.Append(':');
            AppendValue(output, field.Value);
        }

        output.Append("}\n");
    }

    private static void AppendValue(TextBuffer output, in Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
            case ValueKind.Ip:
                TextEscaping.AppendJsonString(output, value);
                break;
            case ValueKind.Int:
                output.Append(value.AsInt);
                break;
            case ValueKind.Float:
                var number = value.AsFloat;
                if (double.IsFinite(number))
                {
                    output.Append(number);
                }
                else
                {
                    output.Append("null");
                }

                break;
            case ValueKind.Bool:
                TextEscaping.AppendBool(output, value.AsBool);
                break;
            case ValueKind.DateTime:
                output.Append('"');
                TextEscaping.AppendDateTime(output, value.AsDateTime);
                output.Append('"');
                break;
            default:
                break;
        }
    }
}
