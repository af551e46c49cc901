using System.Text;

namespace Wp.Core.Hosting.Cli;

/// <summary>How a column's text is fitted when the table is wider than the line.</summary>
internal enum Fit
{
    /// <summary>Never shortened (numbers, short words).</summary>
    Keep,

    /// <summary>Cut from the left with '…': the end of a path is the informative part.</summary>
    PathLeft,

    /// <summary>Cut from the right with '…' (names).</summary>
    Right,

    /// <summary>Wrapped onto continuation lines at spaces (messages).</summary>
    Wrap,
}

/// <summary>A table column: header, alignment, how it shrinks, and the narrowest it may become.</summary>
internal sealed record TableColumn(string Header, bool AlignRight = false, Fit Fit = Fit.Keep, int MinWidth = 8);

/// <summary>One cell: its text and what it means (for colour).</summary>
internal readonly record struct TableCell(string Text, Tone Tone = Tone.None)
{
    public static implicit operator TableCell(string text) => new(text);
}

/// <summary>
/// A plain-text table that fits a line width: columns are sized to their content, then the
/// shrinkable ones (<see cref="Fit"/>) give up width, widest first, until the table fits. Colour is
/// applied after padding so alignment never depends on escape codes.
/// </summary>
internal sealed class TextTable
{
    private const string Gap = "  ";
    private readonly TableColumn[] _columns;
    private readonly List<TableCell[]?> _rows = [];

    public TextTable(params TableColumn[] columns) => _columns = columns;

    public int RowCount => _rows.Count(r => r is not null);

    /// <summary>Adds a row; missing trailing cells are empty.</summary>
    public TextTable Add(params TableCell[] cells)
    {
        var row = new TableCell[_columns.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length ? cells[i] : new TableCell(string.Empty);
        }

        _rows.Add(row);
        return this;
    }

    /// <summary>Adds a dashed separator line (before totals).</summary>
    public TextTable AddRule()
    {
        _rows.Add(null);
        return this;
    }

    public void Write(TextWriter output, ConsoleStyle style)
    {
        var widths = Layout(style.Width);
        var line = new StringBuilder();
        WriteLine(output, style, line, widths, _columns.Select(c => new TableCell(c.Header.ToUpperInvariant())).ToArray());
        foreach (var row in _rows)
        {
            if (row is null)
            {
                output.WriteLine(string.Join(Gap, widths.Select(w => new string('-', w))));
                continue;
            }

            WriteLine(output, style, line, widths, row);
        }
    }

    /// <summary>Shortens <paramref name="text"/> to <paramref name="width"/> characters, keeping its end.</summary>
    public static string CutLeft(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? "…" : "…" + text[^(width - 1)..];

    /// <summary>Shortens <paramref name="text"/> to <paramref name="width"/> characters, keeping its start.</summary>
    public static string CutRight(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? "…" : text[..(width - 1)] + "…";

    /// <summary>Splits <paramref name="text"/> into lines of at most <paramref name="width"/>, at spaces where possible.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var rest = text.AsSpan().Trim();
        while (rest.Length > width)
        {
            var cut = rest[..(width + 1)].LastIndexOf(' ');
            if (cut <= 0)
            {
                cut = width;
            }

            lines.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }

        lines.Add(rest.ToString());
        return lines;
    }

    private int[] Layout(int lineWidth)
    {
        var widths = new int[_columns.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = _columns[i].Header.Length;
            foreach (var row in _rows)
            {
                if (row is not null)
                {
                    widths[i] = Math.Max(widths[i], row[i].Text.Length);
                }
            }
        }

        var excess = widths.Sum() + (Gap.Length * (widths.Length - 1)) - lineWidth;

        // Wrapped columns give up width first (wrapping loses nothing), then cut columns, widest first.
        excess = Shrink(widths, excess, wrapOnly: true);
        Shrink(widths, excess, wrapOnly: false);
        return widths;
    }

    /// <summary>Takes one column at a time from the widest eligible column above its minimum; returns what is still too wide.</summary>
    private int Shrink(int[] widths, int excess, bool wrapOnly)
    {
        while (excess > 0)
        {
            var pick = -1;
            for (var i = 0; i < widths.Length; i++)
            {
                var min = Math.Max(_columns[i].MinWidth, _columns[i].Header.Length);
                var eligible = wrapOnly ? _columns[i].Fit == Fit.Wrap : _columns[i].Fit != Fit.Keep;
                if (eligible && widths[i] > min && (pick < 0 || widths[i] > widths[pick]))
                {
                    pick = i;
                }
            }

            if (pick < 0)
            {
                break; // nothing left to give: the line is simply longer than asked
            }

            widths[pick]--;
            excess--;
        }

        return excess;
    }

    private void WriteLine(TextWriter output, ConsoleStyle style, StringBuilder line, int[] widths, TableCell[] row)
    {
        // A wrapped cell makes the row several physical lines; the other cells appear on the first.
        var parts = new IReadOnlyList<string>[row.Length];
        var height = 1;
        for (var i = 0; i < row.Length; i++)
        {
            var text = row[i].Text;
            parts[i] = _columns[i].Fit switch
            {
                Fit.PathLeft => [CutLeft(text, widths[i])],
                Fit.Right => [CutRight(text, widths[i])],
                Fit.Wrap => Wrap(text, widths[i]),
                _ => [text],
            };
            height = Math.Max(height, parts[i].Count);
        }

        for (var l = 0; l < height; l++)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var text = l < parts[i].Count ? parts[i][l] : string.Empty;
                var last = i == row.Length - 1;
                var padded = _columns[i].AlignRight ? text.PadLeft(widths[i]) : last ? text : text.PadRight(widths[i]);
                if (i > 0)
                {
                    line.Append(Gap);
                }

                line.Append(style.Paint(padded, row[i].Tone));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
