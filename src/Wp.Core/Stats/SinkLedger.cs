using System.Globalization;
using System.Text;

namespace Wp.Core.Stats;

/// <summary>
/// Where one sink's records went (SPEC §8.5, issue 11 "truthful accounting"): every record routed
/// to the sink is written to it, diverted to a rescue file, sent to the error group, or — only
/// when the run ends with an error saying so — not stored. <see cref="Pending"/> is what is still
/// queued; it is zero in a final table.
/// </summary>
internal sealed record SinkLedgerRow(string Sink, string Group, long Routed, long Written, long Diverted, long ToError, long NotStored)
{
    public long Pending => Routed - Written - Diverted - ToError - NotStored;
}

/// <summary>Renders the per-sink ledger printed after the final stat table.</summary>
internal static class SinkLedger
{
    private static readonly string[] Headers = ["sink", "group", "routed", "written", "to rescue", "to error", "not stored", "pending"];

    public static string Render(string title, IReadOnlyList<SinkLedgerRow> rows)
    {
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var cells = rows.Select(r => new[] { r.Sink, r.Group, N(r.Routed), N(r.Written), N(r.Diverted), N(r.ToError), N(r.NotStored), N(r.Pending) }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(title);
        Append(text, Headers, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            Append(text, row, widths);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string[] cells, int[] widths)
    {
        text.AppendJoin("  ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        text.AppendLine();
    }
}
