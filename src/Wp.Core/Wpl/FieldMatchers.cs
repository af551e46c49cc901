using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// One compiled field: parses its value from <c>line[pos..end)</c> and appends the field(s) to
/// the output. Immutable after construction, so one instance serves every parse worker.
/// </summary>
internal abstract class FieldMatcher
{
    protected FieldMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    {
        Spec = spec;
        Name = spec.EffectiveName;
        Separator = separator;
        EndsGroup = endsGroup;
        Expected = "expected " + spec.TypeName;
        Greedy = spec.Greedy;
        MaxLength = spec.Length ?? 0;
    }

    /// <summary><c>*T</c>: repeated while it matches.</summary>
    public bool Greedy { get; }

    /// <summary><c>[n]</c>: the value is at most n chars; 0 when unlimited.</summary>
    public int MaxLength { get; }

    /// <summary>Compiled pipes (functions and sub-split groups), empty for most fields.</summary>
    public WplFieldPipe[] Pipes { get; private set; } = [];

    internal void CompilePipes(KeyInterner keys)
    {
        if (Spec.Pipes.Count == 0)
        {
            return;
        }

        Pipes = [.. Spec.Pipes.Select(p => p.Function is { } fn
            ? new WplFieldPipe(new WplFunction(fn), null)
            : new WplFieldPipe(null, new WplSequence([p.Group!], keys)))];
    }

    public WplFieldSpec Spec { get; }

    public string Name { get; }

    /// <summary>The effective separator: field's, else group's, else one space.</summary>
    public WplSeparator Separator { get; }

    /// <summary>Last field of a group that is not the last group: whitespace also ends it.</summary>
    public bool EndsGroup { get; }

    /// <summary>Why this field failed, for the miss reason (e.g. "expected time").</summary>
    public string Expected { get; }

    /// <summary>How many record fields one match produces (for sizing; kv arrays estimate).</summary>
    public virtual int FieldEstimate => 1;

    /// <summary>True when the field may match at the end of the input (opt and not groups).</summary>
    public virtual bool MatchesEmpty => false;

    /// <summary>
    /// Parses one value starting at <paramref name="pos"/>. <paramref name="enclosed"/>: the scope
    /// <c>[pos, end)</c> is exactly the value's (inside quotes or brackets). Returns the position after
    /// the value, or -1. Never throws.
    /// </summary>
    public abstract int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output);

    /// <summary>End of a plain token: the next separator char, or the end of the scope.</summary>
    protected int TokenEnd(char[] line, int pos, int end, bool enclosed)
    {
        if (enclosed || Separator.Kind == WplSeparatorKind.RestOfLine)
        {
            return end;
        }

        var span = line.AsSpan(pos, end - pos);
        int k;
        if (Separator.Kind is WplSeparatorKind.Text or WplSeparatorKind.Pattern)
        {
            k = Separator.Find(span);
            if (EndsGroup)
            {
                var ws = span.IndexOfAny(' ', '\t');
                if (ws >= 0 && (k < 0 || ws < k))
                {
                    k = ws;
                }
            }
        }
        else if (Separator.Kind == WplSeparatorKind.SpaceOrTab)
        {
            k = span.IndexOfAny(' ', '\t');
        }
        else if (EndsGroup && !Separator.IsWhitespace)
        {
            k = span.IndexOfAny(Separator.Char, ' ', '\t');
        }
        else
        {
            k = span.IndexOf(Separator.Char);
        }

        var stop = k < 0 ? end : pos + k;
        if (!Separator.IsWhitespace)
        {
            while (stop > pos && line[stop - 1] is ' ' or '\t')
            {
                stop--;
            }
        }

        return stop;
    }

    public static FieldMatcher Create(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys)
    {
        FieldMatcher m = spec.Type switch
        {
            WplType.Chars => new CharsMatcher(spec, separator, endsGroup, ignore: false),
            WplType.Ignore => new CharsMatcher(spec, separator, endsGroup, ignore: true),
            WplType.HttpAgent => new HttpAgentMatcher(spec, separator, endsGroup),
            // kv(T@key) reads one pair with that key (upstream); enclosed, it picks the key among pairs.
            WplType.Kv when spec.Subfields.Count == 0 || (spec.Subfields.Count == 1 && spec.Begin is null) => new KvMatcher(spec, separator, endsGroup, keys),
            WplType.Kv or WplType.Kvarr => new KvPairsMatcher(spec, separator, endsGroup, keys, pickOnly: spec.Type == WplType.Kv),
            WplType.Json or WplType.ExactJson => new JsonMatcher(spec, separator, endsGroup, keys),
            WplType.Symbol or WplType.PeekSymbol => new SymbolMatcher(spec, separator, endsGroup),
            WplType.Auto or WplType.Hex or WplType.Base64 => new TokenMatcher(spec, separator, endsGroup),
            WplType.Array => new ArrayMatcher(spec, separator, endsGroup),
            WplType.BadJson => new BadJsonMatcher(spec, separator, endsGroup),
            WplType.Group => new GroupMatcher(spec, separator, endsGroup, keys),
            _ => new ScalarMatcher(spec, separator, endsGroup),
        };
        m.CompilePipes(keys);
        return m;
    }
}

/// <summary>One compiled pipe after a field: a function, or a group that re-splits the field's value.</summary>
internal sealed record WplFieldPipe(WplFunction? Function, WplSequence? Split);

/// <summary>
/// Types read as one token and then converted: <c>auto</c> (typed by look), <c>hex</c> and
/// <c>base64</c> (the value is the decoded text; a token that does not decode fails the field).
/// </summary>
internal sealed class TokenMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        int start = pos, stop;
        if (!enclosed && pos < end && line[pos] == '"')
        {
            var close = WplScan.QuoteEnd(line.AsSpan(pos + 1, end - pos - 1), out _);
            if (close < 0)
            {
                return -1;
            }

            start = pos + 1;
            stop = start + close;
            end = stop + 1;
        }
        else
        {
            stop = TokenEnd(line, pos, end, enclosed);
            end = stop;
        }

        if (stop == start && Spec.Type != WplType.Auto)
        {
            return -1;
        }

        if (!WplScan.TryConvert(Spec.Type, line.AsMemory(start, stop - start), out var value))
        {
            return -1;
        }

        output.Add(new Field(Name, value));
        return end;
    }
}

/// <summary><c>array</c>, <c>array/T</c>: a JSON array (brackets balanced, strings respected); the value is its text.</summary>
internal sealed class ArrayMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (pos >= end || line[pos] != '[')
        {
            return -1;
        }

        var depth = 0;
        for (var i = pos; i < end; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                var close = WplScan.QuoteEnd(line.AsSpan(i + 1, end - i - 1), out _);
                if (close < 0)
                {
                    return -1;
                }

                i += close + 1;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}' && --depth == 0)
            {
                output.Add(new Field(Name, Value.String(line, pos, i + 1 - pos)));
                return i + 1;
            }
        }

        return -1;
    }
}

/// <summary><c>bad_json</c> (wp extension): the rest of the scope, only when it does not parse as JSON.</summary>
internal sealed class BadJsonMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (pos >= end || IsJson(line.AsSpan(pos, end - pos)))
        {
            return -1;
        }

        output.Add(new Field(Name, Value.String(line, pos, end - pos)));
        return end;
    }

    private static bool IsJson(ReadOnlySpan<char> text)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text.ToString());
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

/// <summary>Types with a fixed lexical form: digit, float, bool, sn, ip, time, time/clf, http/request, http/status.</summary>
internal sealed class ScalarMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        var s = line.AsSpan(pos, end - pos);
        int n;
        Value value;
        switch (Spec.Type)
        {
            case WplType.Digit:
                n = WplScan.Digit(s, out var l);
                value = Value.Int(l);
                break;
            case WplType.HttpStatus:
                n = WplScan.HttpStatus(s, out var st);
                value = Value.Int(st);
                break;
            case WplType.Float:
                n = WplScan.Float(s, out var d);
                value = Value.Float(d);
                break;
            case WplType.Bool:
                n = WplScan.Bool(s, out var b);
                value = Value.Bool(b);
                break;
            case WplType.Sn:
                n = WplScan.Sn(s);
                value = Value.String(line, pos, n);
                break;
            case WplType.Ip:
                n = WplScan.Ip(s);
                value = Value.Ip(line, pos, n);
                break;
            case WplType.Time:
                n = WplScan.Time(s, out var t, out var to);
                value = Value.DateTime(t, to);
                break;
            case WplType.TimeClf:
                n = WplScan.TimeClf(s, out var c, out var co);
                value = Value.DateTime(c, co);
                break;
            case WplType.HttpRequest:
                n = WplScan.HttpRequest(s, out var collapsed);
                value = n > 0 ? WplScan.HttpRequestValue(line, pos, n, collapsed) : default;
                break;
            case WplType.TimeTimestamp:
                n = WplScan.Timestamp(s, out var ts);
                value = Value.DateTime(ts);
                break;
            case WplType.Time2822:
                n = WplScan.Rfc2822(s, out var t2);
                value = Value.DateTime(t2);
                break;
            case WplType.Port:
                n = WplScan.Digit(s, out var port);
                if (port is < 0 or > 65535 || (n > 0 && s[0] is '-' or '+'))
                {
                    return -1;
                }

                value = Value.Int(port);
                break;
            case WplType.Domain or WplType.Email or WplType.Url or WplType.IpNet or WplType.HttpMethod or WplType.IdCard or WplType.MobilePhone:
                n = WplScan.Shape(Spec.Type, s);
                value = Value.String(line, pos, n);
                break;
            default:
                return -1;
        }

        if (n == 0)
        {
            return -1;
        }

        output.Add(new Field(Name, value));
        return pos + n;
    }
}

/// <summary><c>chars</c> and <c>_</c>: a token, or the content of a leading quoted string.</summary>
internal sealed class CharsMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, bool ignore)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (!enclosed && pos < end && line[pos] == '"')
        {
            var close = WplScan.QuoteEnd(line.AsSpan(pos + 1, end - pos - 1), out var escaped);
            if (close < 0)
            {
                return -1;
            }

            if (!ignore)
            {
                output.Add(new Field(Name, Quoted(line, pos + 1, close, escaped)));
            }

            return pos + 1 + close + 1;
        }

        var stop = TokenEnd(line, pos, end, enclosed);
        if (stop == pos && pos >= end && !enclosed)
        {
            return -1;
        }

        if (!ignore)
        {
            output.Add(new Field(Name, Value.String(line, pos, stop - pos)));
        }

        return stop;
    }

    /// <summary>The content of a quoted string; escapes (<c>\"</c>, <c>\\</c>) decoded only when present.</summary>
    public static Value Quoted(char[] line, int start, int length, bool escaped) =>
        escaped ? Value.String(WplScan.Unescape(line.AsSpan(start, length))) : Value.String(line, start, length);
}

/// <summary><c>http/agent</c>: a product/version start, then the rest of the scope.</summary>
internal sealed class HttpAgentMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        var stop = end;
        while (stop > pos && line[stop - 1] is ' ' or '\t')
        {
            stop--;
        }

        if (!WplScan.LooksLikeAgent(line.AsSpan(pos, stop - pos)))
        {
            return -1;
        }

        output.Add(new Field(Name, Value.String(line, pos, stop - pos)));
        return end;
    }
}

/// <summary><c>symbol(TEXT)</c>: the literal must be there; the value is the text.</summary>
internal sealed class SymbolMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    private readonly string _text = spec.SymbolText!;

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (!line.AsSpan(pos, end - pos).StartsWith(_text, StringComparison.Ordinal))
        {
            return -1;
        }

        if (Spec.Type == WplType.PeekSymbol)
        {
            return pos;
        }

        output.Add(new Field(Name, Value.String(line, pos, _text.Length)));
        return pos + _text.Length;
    }
}

/// <summary><c>kv</c>: one <c>key=value</c> or <c>key:value</c>; the field is named after the key.</summary>
internal sealed class KvMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys)
    : FieldMatcher(spec, separator, endsGroup)
{
    private readonly WplSubfieldSpec? _only = spec.Subfields.Count == 1 ? spec.Subfields[0] : null;

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        var keyEnd = KeyEnd(line, pos, end);
        if (keyEnd < 0)
        {
            return -1;
        }

        var key = line.AsSpan(pos, keyEnd - pos);
        if (_only is not null && !(_only.IsWildcard ? key.StartsWith(_only.Prefix, StringComparison.Ordinal) : key.SequenceEqual(_only.Key)))
        {
            return -1;
        }

        var name = _only is not null ? (_only.Name ?? Spec.Name ?? keys.Intern(key)) : Spec.Name ?? keys.Intern(key);
        var v = keyEnd + 1;
        while (v < end && line[v] is ' ' or '\t' && !Separator.IsWhitespace)
        {
            v++;
        }

        if (v < end && line[v] == ' ' && line[keyEnd] == ':')
        {
            v++; // "Key: value"
        }

        Value value;
        int next;
        if (v < end && line[v] == '"')
        {
            var close = WplScan.QuoteEnd(line.AsSpan(v + 1, end - v - 1), out var escaped);
            if (close < 0)
            {
                return -1;
            }

            value = CharsMatcher.Quoted(line, v + 1, close, escaped);
            next = v + 1 + close + 1;
        }
        else
        {
            next = TokenEnd(line, v, end, enclosed);
            value = Value.String(line, v, next - v);
        }

        if (_only is { Untyped: false } && _only.Type is not (WplType.Chars or WplType.Auto))
        {
            if (!WplScan.TryConvert(_only.Type, value.TextMemory, out var typed))
            {
                return -1;
            }

            value = typed;
        }

        if (_only?.Type != WplType.Ignore)
        {
            output.Add(new Field(name, value));
        }

        return next;
    }

    /// <summary>Index of the '=' or ':' after a non-empty key at <paramref name="pos"/>, or -1.</summary>
    public static int KeyEnd(ReadOnlySpan<char> line, int pos, int end)
    {
        var i = pos;
        while (i < end && WplParser.IsKeyChar(line[i]))
        {
            i++;
        }

        return i > pos && i < end && line[i] is '=' or ':' ? i : -1;
    }
}

/// <summary>
/// <c>kvarr</c> (every pair, each its own field) and <c>kv(T@key[:name], ...)</c> (only the listed
/// keys, typed and renamed). Pairs are separated by blanks, ',' or ';' (or the field separator); the
/// sequence ends at the scope end or at the first text that is not a pair.
/// </summary>
internal sealed class KvPairsMatcher : FieldMatcher
{
    private readonly KeyInterner _keys;
    private readonly bool _pickOnly;
    private readonly Dictionary<string, WplSubfieldSpec>.AlternateLookup<ReadOnlySpan<char>> _subfields;

    public KvPairsMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys, bool pickOnly)
        : base(spec, separator, endsGroup)
    {
        _keys = keys;
        _pickOnly = pickOnly;
        var map = new Dictionary<string, WplSubfieldSpec>(StringComparer.Ordinal);
        foreach (var sub in spec.Subfields)
        {
            map.TryAdd(sub.Key, sub);
        }

        _subfields = map.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcards = [.. spec.Subfields.Where(s => s.IsWildcard)];
        _sepMode = !separator.IsWhitespace && separator.Kind != WplSeparatorKind.RestOfLine && separator.Char != ',' && separator.Char != ';'
            || separator.Kind is WplSeparatorKind.Text or WplSeparatorKind.Pattern;
    }

    private readonly WplSubfieldSpec[] _wildcards;

    /// <summary>Pairs are split by the field's own (non-blank) separator; values may hold spaces.</summary>
    private readonly bool _sepMode;

    public override int FieldEstimate => Math.Max(4, Spec.Subfields.Count);

    private bool IsPairGap(char c) => c is ' ' or '\t' or ',' or ';' || Separator.Matches(c);

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        var pairs = 0;
        var i = pos;
        var last = pos;
        while (i < end)
        {
            var keyEnd = KvMatcher.KeyEnd(line, i, end);
            if (keyEnd < 0)
            {
                break;
            }

            var key = line.AsSpan(i, keyEnd - i);
            var v = keyEnd + 1;
            int valueStart, valueLength, next;
            var escaped = false;
            if (v < end && line[v] == '"')
            {
                var close = WplScan.QuoteEnd(line.AsSpan(v + 1, end - v - 1), out escaped);
                if (close < 0)
                {
                    return -1;
                }

                valueStart = v + 1;
                valueLength = close;
                next = v + 1 + close + 1;
            }
            else if (_sepMode)
            {
                var k = Separator.Find(line.AsSpan(v, end - v));
                var j = k < 0 ? end : v + k;
                while (j > v && line[j - 1] is ' ' or '\t')
                {
                    j--;
                }

                valueStart = v;
                valueLength = j - v;
                next = j;
            }
            else
            {
                var j = v;
                while (j < end && !IsPairGap(line[j]))
                {
                    j++;
                }

                valueStart = v;
                valueLength = j - v;
                next = j;
            }

            if (_subfields.TryGetValue(key, out var sub) || TryWildcard(key, out sub))
            {
                var text = escaped ? WplScan.Unescape(line.AsSpan(valueStart, valueLength)).AsMemory() : line.AsMemory(valueStart, valueLength);
                if (sub.Untyped)
                {
                    sub = sub with { Type = WplType.Chars };
                }

                if (!WplScan.TryConvert(sub.Type, text, out var typed))
                {
                    if (_pickOnly)
                    {
                        return -1;
                    }

                    typed = Value.String(text);
                }

                if (sub.IsWildcard)
                {
                    sub = sub with { Key = key.ToString(), Name = null };
                }

                if (sub.Type != WplType.Ignore)
                {
                    output.Add(new Field(sub.EffectiveName, typed));
                }
            }
            else if (!_pickOnly)
            {
                output.Add(new Field(_keys.Intern(key), CharsMatcher.Quoted(line, valueStart, valueLength, escaped)));
            }

            pairs++;
            last = next;
            i = next;
            if (_sepMode)
            {
                while (i < end && line[i] is ' ' or '\t')
                {
                    i++;
                }

                var m = Separator.MatchAt(line.AsSpan(i, end - i));
                if (m < 0)
                {
                    break;
                }

                i += m;
                while (i < end && line[i] is ' ' or '\t')
                {
                    i++;
                }

                continue;
            }

            while (i < end && IsPairGap(line[i]))
            {
                i++;
            }
        }

        return pairs == 0 ? -1 : last;
    }

    private bool TryWildcard(ReadOnlySpan<char> key, out WplSubfieldSpec sub)
    {
        foreach (var w in _wildcards)
        {
            if (key.StartsWith(w.Prefix, StringComparison.Ordinal))
            {
                sub = w;
                return true;
            }
        }

        sub = null!;
        return false;
    }
}
