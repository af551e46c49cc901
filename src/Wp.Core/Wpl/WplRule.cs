using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// A compiled rule: preprocessing steps, then its groups flattened to one sequence of field
/// matchers (repeats expanded, separators resolved), built once at load. <see cref="TryMatch"/>
/// touches no shared mutable state, so one rule serves every parse worker.
/// </summary>
internal sealed class WplRule
{
    private readonly WplSequence _sequence;
    private readonly string[] _preproc;
    private readonly Field[] _tags;

    internal WplRule(WplRuleSpec spec, KeyInterner keys)
    {
        Path = spec.Path;
        File = spec.File;
        Line = spec.Line;
        Groups = spec.Groups;
        _preproc = [.. spec.Preproc];
        _sequence = new WplSequence(spec.Groups, keys);
        Annotation = spec.Annotation;
        _tags = [.. spec.Annotation.Tags.Select(t => new Field(t.Key, Value.String(t.Value)))];
        FieldEstimate = _sequence.FieldEstimate + _tags.Length + (Annotation.CopyRaw is null ? 0 : 1);
    }

    /// <summary>The rule path, e.g. <c>/sys/benchmark_1</c>.</summary>
    public string Path { get; }

    public string File { get; }

    public int Line { get; }

    /// <summary>The rule's AST, as written (for the generator).</summary>
    public IReadOnlyList<WplGroupSpec> Groups { get; }

    /// <summary>Tags and copy_raw from <c>#[...]</c>.</summary>
    public WplAnnotation Annotation { get; }

    /// <summary>The flattened field matchers, one per value (repeats expanded).</summary>
    internal IReadOnlyList<FieldMatcher> Fields => _sequence.Fields;

    /// <summary>Record capacity to allocate for one match.</summary>
    internal int FieldEstimate { get; }

    /// <summary>
    /// Matches <c>line[start..end)</c> (already trimmed) of the line <c>line[0..length)</c>. On success
    /// <paramref name="stop"/> is where the leftover starts in <paramref name="text"/> (the line, or the
    /// preprocessed text when the rule has steps: an array of exactly that text); on failure
    /// <paramref name="miss"/> says where and why. Never throws.
    /// </summary>
    internal bool TryMatch(char[] line, int length, int start, int end, List<Field> output, out char[] text, out int stop, out WplMiss miss)
    {
        text = line;
        if (_preproc.Length > 0)
        {
            string? current = new(line, start, end - start);
            foreach (var step in _preproc)
            {
                current = WplPreproc.Apply(step, current);
                if (current is null)
                {
                    stop = start;
                    miss = new WplMiss(0, WplMissKind.Preproc, start) { Detail = step };
                    return false;
                }
            }

            text = current.ToCharArray();
            start = 0;
            end = current.Length;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }
        }

        if (!_sequence.Match(text, start, end, output, out stop, out miss))
        {
            return false;
        }

        if (Annotation.CopyRaw is { } raw)
        {
            output.Add(new Field(raw, Value.String(line, 0, length)));
        }

        if (_tags.Length > 0)
        {
            output.AddRange(_tags);
        }

        return true;
    }

    /// <summary>Renders a miss as text, e.g. <c>field 3 'time' expected time at column 17</c>.</summary>
    internal string Describe(in WplMiss miss, int lineLength) => _sequence.Describe(miss, lineLength);

    /// <summary>What the rule expected where it stopped (e.g. <c>time</c>, <c>'['</c>, <c>separator '\,'</c>).</summary>
    internal string Expected(in WplMiss miss) => _sequence.Expected(miss);

    public override string ToString() => Path;
}

/// <summary>
/// A run of field matchers matched left to right: a rule's groups flattened, or a group nested in
/// a sub-split pipe or a group of alternatives.
/// </summary>
internal sealed class WplSequence
{
    private readonly FieldMatcher[] _fields;

    internal WplSequence(IReadOnlyList<WplGroupSpec> groups, KeyInterner keys)
    {
        var fields = new List<FieldMatcher>();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var lastGroup = g == groups.Count - 1;
            if (group.Meta != WplGroupMeta.Seq)
            {
                var spec = new WplFieldSpec(MetaName(group.Meta), WplType.Group, 1, null, null, null, null, [], null, group.Line, group.Column) { Group = group };
                fields.Add(FieldMatcher.Create(spec, WplSeparator.Space, endsGroup: !lastGroup, keys));
                continue;
            }

            for (var f = 0; f < group.Fields.Count; f++)
            {
                var field = group.Fields[f];
                var sep = field.Separator ?? group.Separator ?? WplSeparator.Space;
                var count = field.Greedy ? 1 : field.Count;
                for (var r = 0; r < count; r++)
                {
                    // The last field of a group ends at blanks too (the next group may follow after
                    // them) unless the field names its own separator.
                    var endsGroup = !lastGroup && f == group.Fields.Count - 1 && r == count - 1 && field.Separator is null;
                    fields.Add(FieldMatcher.Create(field, sep, endsGroup, keys));
                }
            }
        }

        _fields = [.. fields];
        foreach (var m in _fields)
        {
            FieldEstimate += m.Spec.Type == WplType.Ignore ? 0 : m.FieldEstimate;
        }
    }

    private static string MetaName(WplGroupMeta meta) => meta switch
    {
        WplGroupMeta.Alt => "alt",
        WplGroupMeta.Opt => "opt",
        WplGroupMeta.SomeOf => "some_of",
        WplGroupMeta.Not => "not",
        _ => "seq",
    };

    internal IReadOnlyList<FieldMatcher> Fields => _fields;

    internal int FieldEstimate { get; }

    /// <summary>Matches the fields in order; see <see cref="WplRule.TryMatch"/>. Never throws.</summary>
    internal bool Match(char[] line, int start, int end, List<Field> output, out int stop, out WplMiss miss)
    {
        var pos = start;
        stop = start;
        for (var k = 0; k < _fields.Length; k++)
        {
            var f = _fields[k];
            var isLast = k == _fields.Length - 1;
            if (f.Greedy)
            {
                while (pos < end)
                {
                    var mark = output.Count;
                    var p = MatchOne(f, line, pos, end, output, isLast, out _, out _);
                    if (p <= pos)
                    {
                        output.RemoveRange(mark, output.Count - mark);
                        break;
                    }

                    pos = p;
                }

                continue;
            }

            if (pos >= end && !f.MatchesEmpty)
            {
                miss = new WplMiss(k, WplMissKind.Value, pos);
                return false;
            }

            var next = MatchOne(f, line, pos, end, output, isLast, out var kind, out var at);
            if (next < 0)
            {
                miss = new WplMiss(k, kind, at);
                return false;
            }

            pos = next;
        }

        stop = pos;
        miss = new WplMiss(_fields.Length, WplMissKind.Leftover, pos);
        return true;
    }

    /// <summary>One field: its value, its pipes, then its separator. Returns the next position or -1.</summary>
    private static int MatchOne(FieldMatcher f, char[] line, int pos, int end, List<Field> output, bool isLast, out WplMissKind kind, out int at)
    {
        at = pos;
        var mark = output.Count;
        var enclosed = f.Spec.Begin is not null;
        if (enclosed)
        {
            var begin = f.Spec.Begin!;
            if (!line.AsSpan(pos, end - pos).StartsWith(begin, StringComparison.Ordinal))
            {
                kind = WplMissKind.Open;
                return -1;
            }

            var inner = pos + begin.Length;
            int close;
            var escaped = false;
            if (begin == "\"")
            {
                close = WplScan.QuoteEnd(line.AsSpan(inner, end - inner), out escaped);
            }
            else
            {
                close = line.AsSpan(inner, end - inner).IndexOf(f.Spec.End, StringComparison.Ordinal);
            }

            if (close < 0)
            {
                kind = WplMissKind.Close;
                return -1;
            }

            close += inner;
            bool parsed;
            if (escaped)
            {
                // Quoted content with \" or \\: the value is parsed from the decoded text (one
                // allocation, only for such lines); its slices point into that text.
                var decoded = WplScan.Unescape(line.AsSpan(inner, close - inner)).ToCharArray();
                parsed = EnclosedParse(f, decoded, 0, decoded.Length, output);
            }
            else
            {
                parsed = EnclosedParse(f, line, inner, close, output);
            }

            if (!parsed)
            {
                output.RemoveRange(mark, output.Count - mark);
                kind = WplMissKind.Value;
                at = inner;
                return -1;
            }

            pos = close + f.Spec.End!.Length;
        }
        else
        {
            var limit = f.MaxLength > 0 ? Math.Min(end, pos + f.MaxLength) : end;
            var p = f.Parse(line, pos, limit, enclosed: false, output);
            if (p < 0)
            {
                output.RemoveRange(mark, output.Count - mark);
                kind = WplMissKind.Value;
                return -1;
            }

            pos = p;
        }

        if (f.Pipes.Length > 0 && !ApplyPipes(f, output, mark))
        {
            output.RemoveRange(mark, output.Count - mark);
            kind = WplMissKind.Pipe;
            return -1;
        }

        kind = WplMissKind.Separator;
        if (pos >= end || f.Spec.Type == WplType.PeekSymbol)
        {
            return pos;
        }

        // Separator: consumed when present; a missing one only where Tolerant says so.
        var sep = f.Separator;
        if (sep.Kind == WplSeparatorKind.RestOfLine)
        {
            return pos;
        }

        // A time may be followed directly by its zone offset ("15:07:18+08:00" = time, then "+08:00").
        if (sep.IsWhitespace)
        {
            if (!sep.Matches(line[pos]) && !(f.EndsGroup && line[pos] is ' ' or '\t'))
            {
                if (Tolerant(f, line[pos], isLast, enclosed))
                {
                    return pos;
                }

                at = pos;
                return -1;
            }

            while (pos < end && (sep.Matches(line[pos]) || line[pos] == ' '))
            {
                pos++;
            }

            return pos;
        }

        var m = sep.Kind == WplSeparatorKind.Pattern ? sep.MatchAt(line.AsSpan(pos, end - pos)) : -1;
        var q = pos;
        if (m < 0)
        {
            while (q < end && line[q] is ' ' or '\t')
            {
                q++;
            }

            m = q < end ? sep.MatchAt(line.AsSpan(q, end - q)) : -1;
        }

        if (m >= 0)
        {
            pos = q + m;
            if (sep.Kind != WplSeparatorKind.Pattern)
            {
                while (pos < end && line[pos] is ' ' or '\t')
                {
                    pos++;
                }
            }

            return pos;
        }

        if (f.EndsGroup)
        {
            return q;
        }

        if (Tolerant(f, line[pos], isLast, enclosed))
        {
            return pos;
        }

        at = pos;
        return -1;
    }

    /// <summary>
    /// A missing separator is tolerated after the last field (the rest is leftover), after the last
    /// field of a group (the next group starts there), after an enclosed value or a literal (their
    /// extent is known), and between a time and a zone offset written right after it.
    /// </summary>
    private static bool Tolerant(FieldMatcher f, char next, bool isLast, bool enclosed) =>
        isLast || f.EndsGroup || enclosed || f.Spec.Type == WplType.Symbol ||
        (f.Spec.Type is WplType.Time or WplType.TimeClf or WplType.Time2822 && next is '+' or '-');

    private static bool ApplyPipes(FieldMatcher f, List<Field> output, int mark)
    {
        var active = output.Count > mark ? output.Count - 1 : -1;
        foreach (var pipe in f.Pipes)
        {
            if (pipe.Function is { } fn)
            {
                if (!fn.Apply(output, ref active))
                {
                    return false;
                }

                continue;
            }

            if (active < 0)
            {
                return false;
            }

            var v = output[active].Value;
            var text = v.Kind == ValueKind.String ? v.Text.ToArray() : v.ToString().ToCharArray();
            var s = 0;
            var e = text.Length;
            while (s < e && char.IsWhiteSpace(text[s]))
            {
                s++;
            }

            while (e > s && char.IsWhiteSpace(text[e - 1]))
            {
                e--;
            }

            if (s == e || !pipe.Split!.Match(text, s, e, output, out _, out _))
            {
                return false;
            }
        }

        return true;
    }

    private static bool EnclosedParse(FieldMatcher f, char[] text, int start, int end, List<Field> output)
    {
        var p = f.Parse(text, start, end, enclosed: true, output);
        while (p >= 0 && p < end && text[p] is ' ' or '\t')
        {
            p++;
        }

        return p == end;
    }

    internal string Expected(in WplMiss miss)
    {
        if (miss.Kind == WplMissKind.Leftover)
        {
            return "end of line (the leftover is over 20% of the line)";
        }

        if (miss.Kind == WplMissKind.Preproc)
        {
            return $"text accepted by |{miss.Detail}|";
        }

        var f = _fields[Math.Min(miss.Field, _fields.Length - 1)];
        return miss.Kind switch
        {
            WplMissKind.Open => $"'{f.Spec.Begin}'",
            WplMissKind.Close => $"closing '{f.Spec.End}'",
            WplMissKind.Separator => $"separator '{f.Separator}'",
            WplMissKind.Pipe => "a value its pipe accepts",
            _ => f.Spec.Type == WplType.Symbol ? $"'{f.Spec.SymbolText}'" : f.Spec.TypeName,
        };
    }

    /// <summary>Renders a miss as text, e.g. <c>field 3 'time' expected time at column 17</c>.</summary>
    internal string Describe(in WplMiss miss, int lineLength)
    {
        var column = miss.Position + 1;
        if (miss.Kind == WplMissKind.Leftover)
        {
            return $"leftover of {lineLength - miss.Position} chars at column {column} is over 20% of the line";
        }

        if (miss.Kind == WplMissKind.Preproc)
        {
            return $"preprocessing step '{miss.Detail}' rejected the line";
        }

        var f = _fields[Math.Min(miss.Field, _fields.Length - 1)];
        var at = $"field {miss.Field + 1} '{f.Name}'";
        return miss.Kind switch
        {
            WplMissKind.Open => $"{at} expected '{f.Spec.Begin}' at column {column}",
            WplMissKind.Close => $"{at} missing closing '{f.Spec.End}' after column {column}",
            WplMissKind.Separator => $"{at} expected separator '{f.Separator}' at column {column}",
            WplMissKind.Pipe => $"{at} pipe '{string.Join(" | ", f.Spec.Pipes.Select(p => p.Function?.ToString() ?? "(...)"))}' failed at column {column}",
            _ => $"{at} {f.Expected} at column {column}",
        };
    }
}

internal enum WplMissKind
{
    Value,
    Open,
    Close,
    Separator,
    Leftover,

    /// <summary>A field function or sub-split after the field's '|' rejected the value.</summary>
    Pipe,

    /// <summary>A preprocessing step rejected the line.</summary>
    Preproc,
}

/// <summary>Where a rule stopped matching: the 0-based field index (= fields matched) and position.</summary>
internal readonly record struct WplMiss(int Field, WplMissKind Kind, int Position)
{
    /// <summary>The preprocessing step, for <see cref="WplMissKind.Preproc"/>.</summary>
    public string? Detail { get; init; }
}
