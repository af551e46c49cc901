namespace Wp.Core.Records.Formatting;

/// <summary>
/// Visible values joined by single spaces, nothing quoted or escaped (docs/configuration.md, output formats); datetimes as
/// <c>yyyy-MM-dd HH:mm:ss</c>. Lossy by design: a string holding a space or a newline is written
/// verbatim, so it cannot be split back into fields (and a newline inside a value splits the
/// line). Stateless: one shared instance, safe across threads.
/// </summary>
internal sealed class RawFormatter : IRecordFormatter
{
    public static readonly RawFormatter Instance = new();

    private RawFormatter()
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

            if (!first)
            {
                output.Append(' ');
            }

            first = false;
            TextEscaping.AppendBare(output, field.Value);
        }

        output.Append('\n');
    }
}
