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

    /// <summary>
    /// Parses one value starting at <paramref name="pos"/>. <paramref name="enclosed"/>: the scope
    /// <c>[pos, end)</c> is exactly the value's (inside quotes or brackets). Returns the position after
    /// the value, or -1. Never throws.
    /// </summary>
    public abstract int Parse(string line, int pos, int end, bool enclosed, List<Field> output);

    /// <summary>End of a plain token: the next separator char, or the end of the scope.</summary>
    protected int TokenEnd(string line, int pos, int end, bool enclosed)
    {
        if (enclosed || Separator.Kind == WplSeparatorKind.RestOfLine)
        {
            return end;
        }

        var span = line.AsSpan(pos, end - pos);
        int k;
        if (Separator.Kind == WplSeparatorKind.SpaceOrTab)
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

    public static FieldMatcher Create(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys) => spec.Type switch
    {
        WplType.Chars => new CharsMatcher(spec, separator, endsGroup, ignore: false),
        WplType.Ignore => new CharsMatcher(spec, separator, endsGroup, ignore: true),
        WplType.HttpAgent => new HttpAgentMatcher(spec, separator, endsGroup),
        WplType.Kv when spec.Subfields.Count == 0 => new KvMatcher(spec, separator, endsGroup, keys),
        WplType.Kv or WplType.Kvarr => new KvPairsMatcher(spec, separator, endsGroup, keys, pickOnly: spec.Type == WplType.Kv),
        WplType.Json => new JsonMatcher(spec, separator, endsGroup, keys),
        WplType.Symbol => new SymbolMatcher(spec, separator, endsGroup),
        _ => new ScalarMatcher(spec, separator, endsGroup),
    };
}

/// <summary>Types with a fixed lexical form: digit, float, bool, sn, ip, time, time/clf, http/request, http/status.</summary>
internal sealed class ScalarMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
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
                value = Value.String(line.AsMemory(pos, n));
                break;
            case WplType.Ip:
                n = WplScan.Ip(s);
                value = Value.Ip(line.AsMemory(pos, n));
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
    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
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
            output.Add(new Field(Name, Value.String(line.AsMemory(pos, stop - pos))));
        }

        return stop;
    }

    /// <summary>The content of a quoted string; escapes (<c>\"</c>, <c>\\</c>) decoded only when present.</summary>
    public static Value Quoted(string line, int start, int length, bool escaped) =>
        escaped ? Value.String(WplScan.Unescape(line.AsSpan(start, length))) : Value.String(line.AsMemory(start, length));
}

/// <summary><c>http/agent</c>: a product/version start, then the rest of the scope.</summary>
internal sealed class HttpAgentMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
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

        output.Add(new Field(Name, Value.String(line.AsMemory(pos, stop - pos))));
        return end;
    }
}

/// <summary><c>symbol(TEXT)</c>: the literal must be there; the value is the text.</summary>
internal sealed class SymbolMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup)
    : FieldMatcher(spec, separator, endsGroup)
{
    private readonly string _text = spec.SymbolText!;

    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (!line.AsSpan(pos, end - pos).StartsWith(_text, StringComparison.Ordinal))
        {
            return -1;
        }

        output.Add(new Field(Name, Value.String(line.AsMemory(pos, _text.Length))));
        return pos + _text.Length;
    }
}

/// <summary><c>kv</c>: one <c>key=value</c> or <c>key:value</c>; the field is named after the key.</summary>
internal sealed class KvMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys)
    : FieldMatcher(spec, separator, endsGroup)
{
    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
    {
        var keyEnd = KeyEnd(line, pos, end);
        if (keyEnd < 0)
        {
            return -1;
        }

        var name = Spec.Name ?? keys.Intern(line.AsSpan(pos, keyEnd - pos));
        var v = keyEnd + 1;
        if (v < end && line[v] == '"')
        {
            var close = WplScan.QuoteEnd(line.AsSpan(v + 1, end - v - 1), out var escaped);
            if (close < 0)
            {
                return -1;
            }

            output.Add(new Field(name, CharsMatcher.Quoted(line, v + 1, close, escaped)));
            return v + 1 + close + 1;
        }

        var stop = TokenEnd(line, v, end, enclosed);
        output.Add(new Field(name, Value.String(line.AsMemory(v, stop - v))));
        return stop;
    }

    /// <summary>Index of the '=' or ':' after a non-empty key at <paramref name="pos"/>, or -1.</summary>
    public static int KeyEnd(string line, int pos, int end)
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
    }

    public override int FieldEstimate => Math.Max(4, Spec.Subfields.Count);

    private bool IsPairGap(char c) => c is ' ' or '\t' or ',' or ';' || Separator.Matches(c);

    public override int Parse(string line, int pos, int end, bool enclosed, List<Field> output)
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

            if (_subfields.TryGetValue(key, out var sub))
            {
                var text = escaped ? WplScan.Unescape(line.AsSpan(valueStart, valueLength)).AsMemory() : line.AsMemory(valueStart, valueLength);
                if (!WplScan.TryConvert(sub.Type, text, out var typed))
                {
                    return -1;
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
            while (i < end && IsPairGap(line[i]))
            {
                i++;
            }
        }

        return pairs == 0 ? -1 : last;
    }
}
