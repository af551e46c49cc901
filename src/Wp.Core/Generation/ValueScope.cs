using System.Buffers;
using Wp.Core.Wpl;

namespace Wp.Core.Generation;

/// <summary>
/// Where a value is written and what may appear in it as written, mirroring how the matcher finds
/// the value's end: unenclosed text ends at the separator (and at blanks for whitespace separators
/// and group ends) and a leading <c>"</c> starts a quoted string; enclosed text ends at the closer.
/// </summary>
internal sealed class ValueScope
{
    private const string Fillers = "xqz0";

    /// <summary>Inside a quoted string (kv pair values and JSON strings are quoted by their writer when needed).</summary>
    public static readonly ValueScope Free = new(enclosed: true, end: null, sep: null, blanksEnd: false, leadingQuote: false);

    private ValueScope(bool enclosed, string? end, char? sep, bool blanksEnd, bool leadingQuote)
    {
        Enclosed = enclosed;
        End = end;
        Separator = sep;
        BlanksEnd = blanksEnd;
        LeadingQuoteIsQuoted = leadingQuote;
        var forbidden = new List<char> { '"' };
        if (sep is { } c)
        {
            forbidden.Add(c);
        }

        if (blanksEnd)
        {
            forbidden.AddRange([' ', '\t']);
        }

        forbidden.AddRange(end ?? "");
        Forbidden = SearchValues.Create([.. forbidden.Distinct()]);
        Filler = Fillers.First(f => !IsForbidden(f));
    }

    /// <summary>The value is the whole content of an enclosure (<c>"…"</c> or <c>&lt;BEG,END&gt;</c>).</summary>
    public bool Enclosed { get; }

    /// <summary>The closer of a <c>&lt;BEG,END&gt;</c> enclosure, which the content must not contain (null for quotes).</summary>
    public string? End { get; }

    /// <summary>The separator char that ends unenclosed text, if any.</summary>
    public char? Separator { get; }

    /// <summary>Blanks end unenclosed text (whitespace separators; the last field of a group).</summary>
    public bool BlanksEnd { get; }

    /// <summary>A value starting with <c>"</c> is read as a quoted string (unenclosed text, kv values).</summary>
    public bool LeadingQuoteIsQuoted { get; }

    /// <summary>Text may be written as a quoted string when it cannot be written plain.</summary>
    public bool CanQuote => LeadingQuoteIsQuoted;

    /// <summary>Multi-word text reads back whole.</summary>
    public bool AllowsBlanks => !BlanksEnd;

    /// <summary>The char that replaces forbidden chars in generated tokens.</summary>
    public char Filler { get; }

    /// <summary>The scope of a field's value, from its compiled matcher.</summary>
    public static ValueScope For(FieldMatcher field)
    {
        var spec = field.Spec;
        if (spec.Begin is not null)
        {
            return new ValueScope(enclosed: true, end: spec.Begin == "\"" ? null : spec.End, sep: null, blanksEnd: false, leadingQuote: false);
        }

        var sep = field.Separator;
        return new ValueScope(
            enclosed: false,
            end: null,
            sep: sep.Kind == WplSeparatorKind.Char ? sep.Char : null,
            blanksEnd: sep.IsWhitespace || field.EndsGroup,
            leadingQuote: true);
    }

    /// <summary>The scope of a kv value inside this field's scope: a leading quote always starts a quoted value.</summary>
    public ValueScope ForKvValue() => new(Enclosed, End, Separator, BlanksEnd, leadingQuote: true);

    /// <summary>True when <paramref name="text"/> can be written as is and reads back as exactly itself.</summary>
    public bool IsPlain(ReadOnlySpan<char> text)
    {
        if (End is not null && text.Contains(End, StringComparison.Ordinal))
        {
            return false;
        }

        if (LeadingQuoteIsQuoted && text.Length > 0 && text[0] == '"')
        {
            return false;
        }

        if (Enclosed)
        {
            return true;
        }

        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        return !(BlanksEnd && text.ContainsAny(' ', '\t')) && !(Separator is { } c && text.Contains(c));
    }

    /// <summary>Chars generated tokens must not contain here (they are sanitized, not quoted): quotes, the separator, blanks where they end text, the closer's chars.</summary>
    public SearchValues<char> Forbidden { get; }

    public bool IsForbidden(char c) => Forbidden.Contains(c);

    /// <summary>
    /// How a literal (a gen_field.toml choice or prefix value) is written here: plain, or quoted with
    /// escapes. Null when it cannot be written so that it reads back (it contains the enclosure closer).
    /// </summary>
    public string? Render(string text)
    {
        if (IsPlain(text))
        {
            return text;
        }

        if (!CanQuote)
        {
            return null;
        }

        var quoted = Quote(text);
        return End is not null && quoted.Contains(End, StringComparison.Ordinal) ? null : quoted;
    }

    /// <summary><c>"</c> + text with <c>"</c> and <c>\</c> backslash-escaped + <c>"</c>.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
