namespace Wp.Core.Wpl;

/// <summary>The field types of SPEC §5.2.</summary>
internal enum WplType
{
    Digit,
    Float,
    Bool,
    Chars,
    Ignore,
    Sn,
    Ip,
    Time,
    TimeClf,
    HttpRequest,
    HttpStatus,
    HttpAgent,
    Kv,
    Json,
    Kvarr,
    Symbol,
}

internal enum WplSeparatorKind
{
    /// <summary>One character; when it is a space, runs of spaces are tolerated.</summary>
    Char,

    /// <summary><c>\S</c>: a space or a tab.</summary>
    SpaceOrTab,

    /// <summary><c>\0</c>: the field takes the rest of the line.</summary>
    RestOfLine,
}

/// <summary>A field or group separator as written (<c>\,</c>, <c>\s</c>, <c>\t</c>, <c>\S</c>, <c>\0</c>).</summary>
internal readonly record struct WplSeparator(WplSeparatorKind Kind, char Char)
{
    public static WplSeparator Space => new(WplSeparatorKind.Char, ' ');

    public bool IsWhitespace => Kind == WplSeparatorKind.SpaceOrTab || (Kind == WplSeparatorKind.Char && Char is ' ' or '\t');

    /// <summary>True when <paramref name="c"/> is (one char of) this separator.</summary>
    public bool Matches(char c) => Kind switch
    {
        WplSeparatorKind.Char => c == Char,
        WplSeparatorKind.SpaceOrTab => c is ' ' or '\t',
        _ => false,
    };

    public override string ToString() => Kind switch
    {
        WplSeparatorKind.SpaceOrTab => "\\S",
        WplSeparatorKind.RestOfLine => "\\0",
        _ => Char switch { ' ' => "\\s", '\t' => "\\t", _ => "\\" + Char },
    };
}

/// <summary><c>T@key[:name]</c> inside <c>kv(...)</c>, <c>kvarr(...)</c> or <c>json(...)</c>.</summary>
internal sealed record WplSubfieldSpec(string TypeName, WplType Type, string Key, string? Name)
{
    public string EffectiveName => Name ?? Key;
}

/// <summary>
/// One field as written: <c>[N*]TYPE[(subfields)][:name][&lt;BEG,END&gt; | "][\sep]</c>.
/// Kept on <see cref="WplRule.Groups"/> so the generator can produce data from the same grammar.
/// </summary>
internal sealed record WplFieldSpec(
    string TypeName,
    WplType Type,
    int Count,
    string? Name,
    string? Begin,
    string? End,
    WplSeparator? Separator,
    IReadOnlyList<WplSubfieldSpec> Subfields,
    string? SymbolText,
    int Line,
    int Column)
{
    /// <summary>The record field name: the explicit name, else the type name with '/' → '_'.</summary>
    public string EffectiveName => Name ?? TypeName.Replace('/', '_');

    public bool IsEnclosed => Begin is not null;
}

/// <summary><c>( field, ... )[\sep]</c>.</summary>
internal sealed record WplGroupSpec(IReadOnlyList<WplFieldSpec> Fields, WplSeparator? Separator, int Line, int Column);
