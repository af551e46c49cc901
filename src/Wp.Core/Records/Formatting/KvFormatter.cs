namespace Wp.Core.Records.Formatting;

/// <summary>
/// <c>sip: 10.0.0.1, status: 200, msg: "GET /"</c> (docs/configuration.md, output formats). Strings are quoted and escaped
/// (see <see cref="TextEscaping.AppendQuoted"/>); ints, floats, bools, IPs and datetimes are bare.
/// Field names are written as they are. Stateless: one shared instance, safe across threads.
/// </summary>
internal sealed class KvFormatter : IRecordFormatter
{
    public static readonly KvFormatter Instance = new();

    private KvFormatter()
    {
    }

    public void Format(Record record, TextBuffer output)
    {
        if (record.Raw is { } raw)
        {
            TextEscaping.AppendRawLine(output, raw);
            return;
        }

        var first = true;
        foreach (ref readonly var field in record.FieldSpan)
        {
            if (field.IsHidden)
            {
                continue;
            }

            TextEscaping.AppendName(output, first ? default : ", ", field.Name, ": ");
            first = false;
            if (field.Value.Kind == ValueKind.String)
            {
                TextEscaping.AppendQuoted(output, field.Value);
            }
            else
            {
                TextEscaping.AppendBare(output, field.Value);
            }
        }

        output.Append('\n');
    }
}
