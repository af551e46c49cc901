namespace Wp.Core.Wpl;

internal enum WplSeparatorKind
{
    /// <summary>One character; when it is a space, runs of spaces are tolerated.</summary>
    Char,

    /// <summary><c>\S</c>: a space or a tab.</summary>
    SpaceOrTab,

    /// <summary><c>\0</c>: the field takes the rest of the line.</summary>
    RestOfLine,

    /// <summary>A run of escaped characters (<c>\|\!</c> = <c>|!</c>): the literal text.</summary>
    Text,

    /// <summary><c>{...}</c>: a separator pattern (wildcards, whitespace runs, a kept tail).</summary>
    Pattern,
}

/// <summary>
/// A field or group separator as written (<c>\,</c>, <c>\s</c>, <c>\t</c>, <c>\S</c>, <c>\0</c>,
/// <c>\%\%</c>, <c>{*\s(key=)}</c>).
/// </summary>
internal readonly record struct WplSeparator(WplSeparatorKind Kind, char Char)
{
    public static WplSeparator Space => new(WplSeparatorKind.Char, ' ');

    /// <summary>The literal text of a <see cref="WplSeparatorKind.Text"/> separator.</summary>
    public string? Text { get; init; }

    /// <summary>The compiled pattern of a <see cref="WplSeparatorKind.Pattern"/> separator.</summary>
    public WplSepPattern? Pattern { get; init; }

    public static WplSeparator OfText(string text) => text.Length == 1
        ? new WplSeparator(WplSeparatorKind.Char, text[0])
        : new WplSeparator(WplSeparatorKind.Text, text[0]) { Text = text };

    public static WplSeparator OfPattern(WplSepPattern pattern) => new(WplSeparatorKind.Pattern, '\0') { Pattern = pattern };

    public bool IsWhitespace => Kind == WplSeparatorKind.SpaceOrTab || (Kind == WplSeparatorKind.Char && Char is ' ' or '\t');

    /// <summary>True when <paramref name="c"/> is (one char of) this separator.</summary>
    public bool Matches(char c) => Kind switch
    {
        WplSeparatorKind.Char => c == Char,
        WplSeparatorKind.SpaceOrTab => c is ' ' or '\t',
        _ => false,
    };

    /// <summary>Index of the first occurrence in <paramref name="s"/>, or -1 (Text and Pattern kinds).</summary>
    public int Find(ReadOnlySpan<char> s) => Kind switch
    {
        WplSeparatorKind.Text => s.IndexOf(Text),
        WplSeparatorKind.Pattern => Pattern!.Find(s),
        WplSeparatorKind.Char => s.IndexOf(Char),
        WplSeparatorKind.SpaceOrTab => s.IndexOfAny(' ', '\t'),
        _ => -1,
    };

    /// <summary>How many chars the separator consumes at the start of <paramref name="s"/>, or -1 when absent.</summary>
    public int MatchAt(ReadOnlySpan<char> s) => Kind switch
    {
        WplSeparatorKind.Text => s.StartsWith(Text) ? Text!.Length : -1,
        WplSeparatorKind.Pattern => Pattern!.MatchAt(s),
        _ => s.Length > 0 && Matches(s[0]) ? 1 : -1,
    };

    public override string ToString() => Kind switch
    {
        WplSeparatorKind.SpaceOrTab => "\\S",
        WplSeparatorKind.RestOfLine => "\\0",
        WplSeparatorKind.Text => string.Concat(Text!.Select(c => "\\" + c)),
        WplSeparatorKind.Pattern => "{" + Pattern!.Source + "}",
        _ => Char switch { ' ' => "\\s", '\t' => "\\t", '\n' => "\\n", _ => "\\" + Char },
    };
}

/// <summary>
/// A compiled <c>{...}</c> separator pattern: literals, <c>?</c> (one char), <c>*</c> (shortest run),
/// <c>\s</c>/<c>\h</c> (whitespace runs), <c>\S</c>/<c>\H</c> (non-whitespace runs) and a trailing
/// <c>(...)</c> that must match but is left for the next field. Matching backtracks; patterns are short.
/// </summary>
internal sealed class WplSepPattern
{
    internal enum SegKind
    {
        Literal,
        One,
        Star,
        Space,
        NonSpace,
        HSpace,
        NonHSpace,
    }

    internal readonly record struct Segment(SegKind Kind, char Char);

    private readonly Segment[] _segments;
    private readonly int _keepFrom;

    public WplSepPattern(string source, IReadOnlyList<Segment> segments, int keepFrom)
    {
        Source = source;

        // A leading '*' is the field's value itself: the separator starts where the rest matches.
        var skip = segments.Count > 0 && segments[0].Kind == SegKind.Star ? 1 : 0;
        _segments = [.. segments.Skip(skip)];
        _keepFrom = keepFrom - skip;
    }

    /// <summary>The pattern as written between the braces.</summary>
    public string Source { get; }

    /// <summary>Consumed length when the pattern matches at the start of <paramref name="s"/>, else -1.</summary>
    public int MatchAt(ReadOnlySpan<char> s)
    {
        var consumed = -1;
        return Try(s, 0, 0, ref consumed) ? consumed : -1;
    }

    /// <summary>Where the pattern first matches in <paramref name="s"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> s)
    {
        for (var p = 0; p < s.Length; p++)
        {
            if (MatchAt(s[p..]) >= 0)
            {
                return p;
            }
        }

        return -1;
    }

    private bool Try(ReadOnlySpan<char> s, int k, int i, ref int consumed)
    {
        if (k == _keepFrom)
        {
            consumed = i;
        }

        if (k == _segments.Length)
        {
            return true;
        }

        var seg = _segments[k];
        switch (seg.Kind)
        {
            case SegKind.Literal:
                return i < s.Length && s[i] == seg.Char && Try(s, k + 1, i + 1, ref consumed);
            case SegKind.One:
                return i < s.Length && Try(s, k + 1, i + 1, ref consumed);
            case SegKind.Star:
                for (var j = i; j <= s.Length; j++)
                {
                    if (Try(s, k + 1, j, ref consumed))
                    {
                        return true;
                    }
                }

                return false;
            default:
                var n = 0;
                while (i + n < s.Length && InClass(seg.Kind, s[i + n]))
                {
                    n++;
                }

                for (var m = n; m >= 1; m--)
                {
                    if (Try(s, k + 1, i + m, ref consumed))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    private static bool InClass(SegKind kind, char c) => kind switch
    {
        SegKind.Space => c is ' ' or '\t' or '\r' or '\n',
        SegKind.NonSpace => c is not (' ' or '\t' or '\r' or '\n'),
        SegKind.HSpace => c is ' ' or '\t',
        _ => c is not (' ' or '\t'),
    };
}
