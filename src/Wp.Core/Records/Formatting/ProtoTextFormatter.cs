namespace Wp.Core.Records.Formatting;

/// <summary>
/// <c>{ sip: "10.0.0.1" status: 200 msg: "GET /" }</c> (docs/configuration.md, output formats). Strings, IPs and datetimes
/// are quoted and escaped like kv; ints, floats and bools are bare. A record with no visible
/// field is <c>{ }</c>. Stateless: one shared instance, safe across threads.
/// </summary>
internal sealed class ProtoTextFormatter : IRecordFormatter
{
    public static readonly ProtoTextFormatter Instance = new();

    private ProtoTextFormatter()
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
        foreach (ref readonly var field in record.FieldSpan)
        {
            if (field.IsHidden)
            {
                continue;
            }

            TextEscaping.AppendName(output, " ", field.Name, ": ");
            switch (field.Value.Kind)
            {
                case ValueKind.String:
                case ValueKind.Ip:
                    TextEscaping.AppendQuoted(output, field.Value);
                    break;
                case ValueKind.DateTime:
                    // A formatted datetime never needs escaping.
                    output.Append('"');
                    TextEscaping.AppendDateTime(output, field.Value.AsDateTime);
                    output.Append('"');
                    break;
                default:
                    TextEscaping.AppendBare(output, field.Value);
                    break;
            }
        }

        output.Append(" }\n");
    }
}
