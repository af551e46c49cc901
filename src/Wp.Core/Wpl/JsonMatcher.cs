using System.Globalization;
using System.Text;
using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// <c>json</c>: one JSON object (or array), flattened: objects to <c>a/b</c>, arrays to <c>a[i]</c>.
/// Numbers become Int (when integral and in range) or Float, <c>true</c>/<c>false</c> Bool, strings
/// String (a slice of the line unless they contain escapes); <c>null</c> members are omitted. With
/// an explicit <c>:name</c> every path is prefixed <c>name/</c>. Subfields <c>T@path[:name]</c>
/// convert and rename the listed leaves.
/// </summary>
internal sealed class JsonMatcher : FieldMatcher
{
    private const int MaxDepth = 32;

    [ThreadStatic]
    private static char[]? t_path;

    private readonly KeyInterner _keys;
    private readonly Dictionary<string, WplSubfieldSpec>.AlternateLookup<ReadOnlySpan<char>> _subfields;
    private readonly bool _hasSubfields;

    public JsonMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys)
        : base(spec, separator, endsGroup)
    {
        _keys = keys;
        var map = new Dictionary<string, WplSubfieldSpec>(StringComparer.Ordinal);
        foreach (var sub in spec.Subfields)
        {
            map.TryAdd(sub.Key, sub);
        }

        _hasSubfields = map.Count > 0;
        _subfields = map.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcards = [.. spec.Subfields.Where(s => s.IsWildcard)];
        _symbols = [.. spec.Subfields.Where(s => s.SymbolText is not null)];
        _required = [.. spec.Subfields.Where(s => !s.Optional && !s.IsWildcard && s.SymbolText is null && s.Type != WplType.Chars && spec.Type == WplType.ExactJson)];
    }

    private readonly WplSubfieldSpec[] _wildcards;

    /// <summary><c>symbol(TEXT)@key</c>: the object must hold key = TEXT (checked after parsing).</summary>
    private readonly WplSubfieldSpec[] _symbols;

    /// <summary>exact_json only: typed, non-optional subfields the object must hold (json treats every subfield as optional).</summary>
    private readonly WplSubfieldSpec[] _required;

    public override int FieldEstimate => 8;

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        if (pos >= end || (line[pos] != '{' && line[pos] != '['))
        {
            return -1;
        }

        var path = t_path ??= new char[256];
        var prefix = 0;
        if (Spec.Name is { } name)
        {
            prefix = Append(ref path, 0, name);
        }

        var mark = output.Count;
        var state = new State(line, end, output);
        var i = pos;
        var ok = ParseValue(ref state, ref i, ref path, prefix, 0);
        t_path = path;
        if (!ok)
        {
            return -1;
        }

        if (Spec.Type == WplType.ExactJson)
        {
            var j = i;
            while (j < end && line[j] is ' ' or '\t')
            {
                j++;
            }

            if (j < end && !enclosed)
            {
                return -1;
            }
        }

        if (_symbols.Length > 0 && state.SymbolsSeen != _symbols.Length)
        {
            return -1;
        }

        foreach (var req in _required)
        {
            var found = false;
            var want = req.EffectiveName;
            for (var k = mark; k < output.Count && !found; k++)
            {
                found = output[k].Name == want;
            }

            if (!found)
            {
                return -1;
            }
        }

        return i;
    }

    private ref struct State(char[] line, int end, List<Field> output)
    {
        public readonly char[] Line = line;
        public readonly int End = end;
        public readonly List<Field> Output = output;
        public int SymbolsSeen;
    }

    private bool ParseValue(ref State st, ref int i, ref char[] path, int pathLen, int depth)
    {
        SkipWs(st, ref i);
        if (i >= st.End || depth > MaxDepth)
        {
            return false;
        }

        var line = st.Line;
        var c = line[i];
        if (c == '{')
        {
            i++;
            SkipWs(st, ref i);
            if (i < st.End && line[i] == '}')
            {
                i++;
                return true;
            }

            while (true)
            {
                SkipWs(st, ref i);
                if (i >= st.End || line[i] != '"')
                {
                    return false;
                }

                var close = WplScan.QuoteEnd(line.AsSpan(i + 1, st.End - i - 1), out var escaped);
                if (close < 0)
                {
                    return false;
                }

                var len = pathLen;
                if (pathLen > 0)
                {
                    len = Append(ref path, len, "/");
                }

                len = escaped
                    ? Append(ref path, len, WplScan.UnescapeJson(line.AsSpan(i + 1, close)))
                    : Append(ref path, len, line.AsSpan(i + 1, close));
                i += close + 2;
                SkipWs(st, ref i);
                if (i >= st.End || line[i] != ':')
                {
                    return false;
                }

                i++;
                if (!ParseValue(ref st, ref i, ref path, len, depth + 1))
                {
                    return false;
                }

                SkipWs(st, ref i);
                if (i < st.End && line[i] == ',')
                {
                    i++;
                    continue;
                }

                if (i < st.End && line[i] == '}')
                {
                    i++;
                    return true;
                }

                return false;
            }
        }

        if (c == '[')
        {
            i++;
            SkipWs(st, ref i);
            if (i < st.End && line[i] == ']')
            {
                i++;
                return true;
            }

            for (var index = 0; ; index++)
            {
                var len = Append(ref path, pathLen, "[");
                len = AppendInt(ref path, len, index);
                len = Append(ref path, len, "]");
                if (!ParseValue(ref st, ref i, ref path, len, depth + 1))
                {
                    return false;
                }

                SkipWs(st, ref i);
                if (i < st.End && line[i] == ',')
                {
                    i++;
                    continue;
                }

                if (i < st.End && line[i] == ']')
                {
                    i++;
                    return true;
                }

                return false;
            }
        }

        Value value;
        if (c == '"')
        {
            var close = WplScan.QuoteEnd(line.AsSpan(i + 1, st.End - i - 1), out var escaped);
            if (close < 0)
            {
                return false;
            }

            value = escaped ? Value.String(WplScan.UnescapeJson(line.AsSpan(i + 1, close))) : Value.String(line, i + 1, close);
            i += close + 2;
        }
        else if (c == 'n' && line.AsSpan(i, st.End - i).StartsWith("null", StringComparison.Ordinal))
        {
            i += 4;
            return true;
        }
        else if (c is 't' or 'f')
        {
            var n = WplScan.Bool(line.AsSpan(i, st.End - i), out var b);
            if (n == 0)
            {
                return false;
            }

            value = Value.Bool(b);
            i += n;
        }
        else
        {
            var s = line.AsSpan(i, st.End - i);
            var nf = WplScan.Float(s, out var d);
            if (nf == 0)
            {
                return false;
            }

            var ni = WplScan.Digit(s, out var l);
            value = ni == nf ? Value.Int(l) : Value.Float(d);
            i += nf;
        }

        Emit(ref st, path.AsSpan(0, pathLen), value);
        return true;
    }

    private void Emit(ref State st, ReadOnlySpan<char> path, Value value)
    {
        if (_hasSubfields && _subfields.TryGetValue(path, out var sub))
        {
            if (sub.SymbolText is not null)
            {
                if (value.Kind == ValueKind.String && value.Text.SequenceEqual(sub.SymbolText))
                {
                    st.SymbolsSeen++;
                }

                return;
            }

            if (sub.Type == WplType.Ignore)
            {
                return;
            }

            st.Output.Add(new Field(sub.EffectiveName, Convert(sub, value)));
            return;
        }

        foreach (var w in _wildcards)
        {
            if (path.StartsWith(w.Prefix, StringComparison.Ordinal))
            {
                if (w.Type == WplType.Ignore)
                {
                    return;
                }

                var name = w.Name is null ? _keys.Intern(path) : _keys.Intern(string.Concat(w.Name, path[w.Prefix.Length..]));
                st.Output.Add(new Field(name, Convert(w, value)));
                return;
            }
        }

        st.Output.Add(new Field(path.Length == 0 ? Name : _keys.Intern(path), value));
    }

    /// <summary>A typed subfield converts the value (numbers too, e.g. epoch millis to time); on failure it is kept.</summary>
    private static Value Convert(WplSubfieldSpec sub, Value value)
    {
        if (sub.Untyped || sub.Type == WplType.Auto)
        {
            return value;
        }

        var text = value.Kind == ValueKind.String ? value.TextMemory : value.ToString().AsMemory();
        return WplScan.TryConvert(sub.Type, text, out var typed) ? typed : value;
    }

    private static void SkipWs(in State st, ref int i)
    {
        while (i < st.End && st.Line[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }
    }

    private static int Append(ref char[] buffer, int length, ReadOnlySpan<char> text)
    {
        if (length + text.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + text.Length));
        }

        text.CopyTo(buffer.AsSpan(length));
        return length + text.Length;
    }

    private static int AppendInt(ref char[] buffer, int length, int value)
    {
        Span<char> tmp = stackalloc char[11];
        value.TryFormat(tmp, out var written, default, CultureInfo.InvariantCulture);
        return Append(ref buffer, length, tmp[..written]);
    }
}
