using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// A compiled rule: its groups flattened to one array of field matchers (repeats expanded,
/// separators resolved), built once at load. <see cref="TryMatch"/> touches no shared mutable
/// state, so one rule serves every parse worker.
/// </summary>
internal sealed class WplRule
{
    private readonly FieldMatcher[] _fields;

    internal WplRule(WplRuleSpec spec, KeyInterner keys)
    {
        Path = spec.Path;
        File = spec.File;
        Line = spec.Line;
        Groups = spec.Groups;
        var fields = new List<FieldMatcher>();
        for (var g = 0; g < spec.Groups.Count; g++)
        {
            var group = spec.Groups[g];
            var lastGroup = g == spec.Groups.Count - 1;
            for (var f = 0; f < group.Fields.Count; f++)
            {
                var field = group.Fields[f];
                var sep = field.Separator ?? group.Separator ?? WplSeparator.Space;
                for (var r = 0; r < field.Count; r++)
                {
                    var endsGroup = !lastGroup && f == group.Fields.Count - 1 && r == field.Count - 1;
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

    /// <summary>The rule path, e.g. <c>/sys/benchmark_1</c>.</summary>
    public string Path { get; }

    public string File { get; }

    public int Line { get; }

    /// <summary>The rule's AST, as written (for the generator).</summary>
    public IReadOnlyList<WplGroupSpec> Groups { get; }

    /// <summary>The flattened field matchers, one per value (repeats expanded).</summary>
    internal IReadOnlyList<FieldMatcher> Fields => _fields;

    /// <summary>Record capacity to allocate for one match.</summary>
    internal int FieldEstimate { get; }

    /// <summary>
    /// Matches <c>line[start..end)</c> (already trimmed). On success <paramref name="stop"/> is where the
    /// leftover starts; on failure <paramref name="miss"/> says where and why. Never throws.
    /// </summary>
    internal bool TryMatch(string line, int start, int end, List<Field> output, out int stop, out WplMiss miss)
    {
        var pos = start;
        stop = start;
        for (var k = 0; k < _fields.Length; k++)
        {
            var f = _fields[k];
            var isLast = k == _fields.Length - 1;
            if (pos >= end)
            {
                miss = new WplMiss(k, WplMissKind.Value, pos);
                return false;
            }

            if (f.Spec.Begin is { } begin)
            {
                if (!line.AsSpan(pos, end - pos).StartsWith(begin, StringComparison.Ordinal))
                {
                    miss = new WplMiss(k, WplMissKind.Open, pos);
                    return false;
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
                    miss = new WplMiss(k, WplMissKind.Close, pos);
                    return false;
                }

                close += inner;
                bool parsed;
                if (escaped)
                {
                    // Quoted content with \" or \\: the value is parsed from the decoded text (one
                    // allocation, only for such lines); its slices point into that text.
                    var decoded = WplScan.Unescape(line.AsSpan(inner, close - inner));
                    parsed = EnclosedParse(f, decoded, 0, decoded.Length, output);
                }
                else
                {
                    parsed = EnclosedParse(f, line, inner, close, output);
                }

                if (!parsed)
                {
                    miss = new WplMiss(k, WplMissKind.Value, inner);
                    return false;
                }

                pos = close + f.Spec.End!.Length;
            }
            else
            {
                var p = f.Parse(line, pos, end, enclosed: false, output);
                if (p < 0)
                {
                    miss = new WplMiss(k, WplMissKind.Value, pos);
                    return false;
                }

                pos = p;
            }

            if (pos >= end)
            {
                continue;
            }

            // Separator: consumed if present; a missing separator before the end is tolerated only
            // after the last field (the rest is leftover).
            var sep = f.Separator;
            if (sep.Kind == WplSeparatorKind.RestOfLine)
            {
                continue;
            }

            if (sep.IsWhitespace)
            {
                if (!sep.Matches(line[pos]) && !(f.EndsGroup && line[pos] is ' ' or '\t'))
                {
                    if (isLast)
                    {
                        break;
                    }

                    miss = new WplMiss(k, WplMissKind.Separator, pos);
                    return false;
                }

                while (pos < end && (sep.Matches(line[pos]) || line[pos] == ' '))
                {
                    pos++;
                }
            }
            else
            {
                var q = pos;
                while (q < end && line[q] is ' ' or '\t')
                {
                    q++;
                }

                if (q < end && sep.Matches(line[q]))
                {
                    pos = q + 1;
                }
                else if (f.EndsGroup && q > pos)
                {
                    pos = q;
                    continue;
                }
                else
                {
                    if (isLast)
                    {
                        break;
                    }

                    miss = new WplMiss(k, WplMissKind.Separator, pos);
                    return false;
                }

                while (pos < end && line[pos] is ' ' or '\t')
                {
                    pos++;
                }
            }
        }

        stop = pos;
        miss = new WplMiss(_fields.Length, WplMissKind.Leftover, pos);
        return true;
    }

    private static bool EnclosedParse(FieldMatcher f, string text, int start, int end, List<Field> output)
    {
        var p = f.Parse(text, start, end, enclosed: true, output);
        while (p >= 0 && p < end && text[p] is ' ' or '\t')
        {
            p++;
        }

        return p == end;
    }

    /// <summary>Renders a miss as text, e.g. <c>field 3 'time' expected time at column 17</c>.</summary>
    internal string Describe(in WplMiss miss, int lineLength)
    {
        var column = miss.Position + 1;
        if (miss.Kind == WplMissKind.Leftover)
        {
            return $"leftover of {lineLength - miss.Position} chars at column {column} is over 20% of the line";
        }

        var f = _fields[miss.Field];
        var at = $"field {miss.Field + 1} '{f.Name}'";
        return miss.Kind switch
        {
            WplMissKind.Open => $"{at} expected '{f.Spec.Begin}' at column {column}",
            WplMissKind.Close => $"{at} missing closing '{f.Spec.End}' after column {column}",
            WplMissKind.Separator => $"{at} expected separator '{f.Separator}' at column {column}",
            _ => $"{at} {f.Expected} at column {column}",
        };
    }

    public override string ToString() => Path;
}

internal enum WplMissKind
{
    Value,
    Open,
    Close,
    Separator,
    Leftover,
}

/// <summary>Where a rule stopped matching: the 0-based field index (= fields matched) and position.</summary>
internal readonly record struct WplMiss(int Field, WplMissKind Kind, int Position);
