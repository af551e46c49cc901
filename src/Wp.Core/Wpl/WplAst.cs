namespace Wp.Core.Wpl;

/// <summary>The field types of the WPL type table (docs/wpl.md lists each with an example).</summary>
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

    /// <summary><c>peek_symbol(TEXT)</c>: the literal must follow; nothing is consumed.</summary>
    PeekSymbol,

    /// <summary><c>auto</c>: a token typed by its look (integer, float, IP, time, else text).</summary>
    Auto,

    /// <summary><c>time_timestamp</c>: Unix seconds (10 digits), milliseconds (13) or microseconds (16).</summary>
    TimeTimestamp,

    /// <summary><c>time_2822</c>: <c>Tue, 01 Dec 2026 10:00:00 +0000</c>.</summary>
    Time2822,

    /// <summary><c>ip_net</c>: <c>10.0.0.0/8</c>.</summary>
    IpNet,
    Domain,
    Email,
    Port,

    /// <summary><c>hex</c>: hexadecimal digits, the value is the decoded text.</summary>
    Hex,

    /// <summary><c>base64</c>: a Base64 token, the value is the decoded text.</summary>
    Base64,

    /// <summary><c>exact_json</c>: like json, but the object must fill its whole scope.</summary>
    ExactJson,
    Url,
    HttpMethod,
    IdCard,
    MobilePhone,

    /// <summary><c>array</c> / <c>array/T</c>: a JSON array; the value is its text.</summary>
    Array,

    /// <summary><c>bad_json</c> (wp extension): the rest of the scope, when it is not valid JSON.</summary>
    BadJson,

    /// <summary>A group of alternatives (alt / opt / some_of / not), compiled as one matcher.</summary>
    Group,
}

/// <summary>How a group's fields are matched (<c>alt</c>, <c>opt</c>, <c>some_of</c>, <c>seq</c>, <c>not</c>).</summary>
internal enum WplGroupMeta
{
    Seq,
    Alt,
    Opt,
    SomeOf,
    Not,
}

/// <summary><c>T@key[:name]</c> inside <c>kv(...)</c>, <c>kvarr(...)</c> or <c>json(...)</c>.</summary>
internal sealed record WplSubfieldSpec(string TypeName, WplType Type, string Key, string? Name)
{
    public string EffectiveName => Name ?? Key;

    /// <summary><c>symbol(TEXT)@key</c>: the key must hold exactly this text.</summary>
    public string? SymbolText { get; init; }

    /// <summary><c>opt(T)@key</c> or an untyped <c>@key</c>: the key may be absent.</summary>
    public bool Optional { get; init; }

    /// <summary>Written without a type (<c>@key</c>): the value keeps the kind it has in the data.</summary>
    public bool Untyped { get; init; }

    /// <summary>The key ends with <c>*</c>: every key starting with <see cref="Prefix"/> matches.</summary>
    public bool IsWildcard => Key.EndsWith('*');

    public string Prefix => IsWildcard ? Key[..^1] : Key;
}

/// <summary>A field function call (<c>chars_has(x)</c>, <c>take(name)</c>, …) after a field's <c>|</c>.</summary>
internal sealed record WplFunctionSpec(string Name, IReadOnlyList<string> Args, WplFunctionSpec? Inner, int Line, int Column)
{
    public override string ToString() => Inner is null ? $"{Name}({string.Join(", ", Args)})" : $"{Name}({Inner})";
}

/// <summary>One <c>| ...</c> after a field: a function call, or a sub-split group.</summary>
internal sealed record WplPipeSpec(WplFunctionSpec? Function, WplGroupSpec? Group);

/// <summary>
/// One field as written: <c>[N*|*]TYPE[(subfields)][:name][[len]][&lt;BEG,END&gt; | "][\sep]{| pipe}</c>.
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

    /// <summary><c>*T</c>: repeated as often as it matches (zero or more times).</summary>
    public bool Greedy { get; init; }

    /// <summary><c>[n]</c>: the value is at most n characters.</summary>
    public int? Length { get; init; }

    /// <summary>The element type of <c>array/T</c> (null for a bare <c>array</c>).</summary>
    public WplType? ElementType { get; init; }

    /// <summary>Pipes after the field: functions and sub-split groups, in order.</summary>
    public IReadOnlyList<WplPipeSpec> Pipes { get; init; } = [];

    /// <summary>For <see cref="WplType.Group"/>: the nested group.</summary>
    public WplGroupSpec? Group { get; init; }
}

/// <summary><c>[meta]( field, ... )[\sep]</c>.</summary>
internal sealed record WplGroupSpec(IReadOnlyList<WplFieldSpec> Fields, WplSeparator? Separator, int Line, int Column)
{
    public WplGroupMeta Meta { get; init; } = WplGroupMeta.Seq;
}

/// <summary>An annotation item: <c>tag(k: "v", ...)</c>, <c>copy_raw(name: "x")</c>, or one wp ignores.</summary>
internal sealed record WplAnnotation(IReadOnlyList<KeyValuePair<string, string>> Tags, string? CopyRaw)
{
    public static readonly WplAnnotation None = new([], null);

    /// <summary>Package annotations merged under the rule's (the rule's win on a clash).</summary>
    public WplAnnotation MergeUnder(WplAnnotation rule)
    {
        if (ReferenceEquals(this, None))
        {
            return rule;
        }

        var tags = new List<KeyValuePair<string, string>>(rule.Tags);
        foreach (var t in Tags)
        {
            if (!tags.Exists(x => x.Key == t.Key))
            {
                tags.Add(t);
            }
        }

        return new WplAnnotation(tags, rule.CopyRaw ?? CopyRaw);
    }
}
