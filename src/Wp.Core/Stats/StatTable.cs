using System.Globalization;
using System.Text;

namespace Wp.Core.Stats;

/// <summary>
/// Renders stat lines as a fixed-width table (stage, name, target, total, success, rate %, speed),
/// plus an <c>in window</c> column for window tables: totals are since start, that column and the
/// speed are the window's own.
/// </summary>
internal static class StatTable
{
    private static readonly string[] Headers = ["stage", "name", "target", "total", "success", "rate %", "speed/s"];

    public static string Render(string title, IReadOnlyList<StatLine> lines)
    {
        var windowed = lines.Any(l => l.InWindow is not null);
        var headers = windowed ? [.. Headers, "in window"] : Headers;
        var cells = lines.Select(l => windowed ? [.. Cells(l), (l.InWindow ?? 0).ToString("N0", CultureInfo.InvariantCulture)] : Cells(l)).ToList();

        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(title);
        AppendRow(text, headers, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private static string[] Cells(StatLine l) =>
        [
            l.Row.Stage,
            l.Row.Name,
            Shorten(l.Row.Target, 32),
            l.Row.Total.ToString("N0", CultureInfo.InvariantCulture),
            l.Row.Success.ToString("N0", CultureInfo.InvariantCulture),
            l.Row.RatePercent.ToString("0.0", CultureInfo.InvariantCulture),
            l.Speed.ToString("N0", CultureInfo.InvariantCulture),
        ];

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append("  ");
            }

            // Text columns left-aligned, numbers right-aligned.
            text.Append(i < 3 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }

        text.AppendLine();
    }

    private static string Shorten(string text, int max) =>
        text.Length <= max ? text : "…" + text[^(max - 1)..];
}
