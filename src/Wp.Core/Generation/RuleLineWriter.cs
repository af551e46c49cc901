using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Generation;

/// <summary>
/// One flattened field of a rule (repeats expanded): opener, value, closer, then the separator the
/// matcher expects after it (nothing after the last field or a <c>\0</c> field).
/// </summary>
internal sealed class FieldSlot
{
    private const int MaxAttempts = 8;

    private readonly string? _begin;
    private readonly string? _end;
    private readonly string? _customEnd;
    private readonly bool _quoted;
    private readonly string _separator;

    public FieldSlot(FieldMatcher field, ValueWriter value, bool isLast)
    {
        Field = field;
        Value = value;
        _begin = field.Spec.Begin;
        _end = field.Spec.End;
        _quoted = _begin == "\"";
        _customEnd = _quoted ? null : _end;
        _separator = isLast ? "" : field.Separator.Kind switch
        {
            WplSeparatorKind.Char => field.Separator.Char.ToString(),
            WplSeparatorKind.SpaceOrTab => " ",
            _ => "",
        };
    }

    public FieldMatcher Field { get; }

    public ValueWriter Value { get; }

    /// <param name="choice">When at least 0, writes that gen_field.toml choice (the value must be a <see cref="ChoiceWriter"/>).</param>
    public void Write(GenRandom rng, TextBuffer buf, int choice = -1)
    {
        if (_begin is not null)
        {
            buf.Append(_begin);
        }

        var start = buf.Length;
        if (choice >= 0)
        {
            ((ChoiceWriter)Value).Write(buf, choice);
        }
        else
        {
            // A random value that happens to contain a <BEG,END> closer would end the scope early: draw again.
            for (var attempt = 1; ; attempt++)
            {
                Value.Write(rng, buf);
                if (_customEnd is null || attempt == MaxAttempts || !buf.From(start).Contains(_customEnd, StringComparison.Ordinal))
                {
                    break;
                }

                buf.Truncate(start);
            }
        }

        if (_quoted)
        {
            buf.EscapeFrom(start);
        }

        if (_end is not null)
        {
            buf.Append(_end);
        }

        buf.Append(_separator);
    }
}

/// <summary>Writes random lines of one rule. Immutable: one instance serves any number of streams.</summary>
internal sealed class RuleLineWriter(WplRule rule, IReadOnlyList<FieldSlot> slots)
{
    [ThreadStatic]
    private static List<Field>? t_scratch;

    public WplRule Rule { get; } = rule;

    public IReadOnlyList<FieldSlot> Slots { get; } = slots;

    /// <summary>Appends one line (without the newline).</summary>
    /// <param name="forcedSlot">With <paramref name="forcedChoice"/>: that slot writes that choice (validation).</param>
    public void Write(GenRandom rng, TextBuffer buf, int forcedSlot = -1, int forcedChoice = -1)
    {
        for (var i = 0; i < Slots.Count; i++)
        {
            Slots[i].Write(rng, buf, i == forcedSlot ? forcedChoice : -1);
        }
    }

    /// <summary>
    /// True when <see cref="Rule"/> matches <paramref name="line"/> whole (no leftover), as
    /// <see cref="WplRuleSet.Match"/> would try it; otherwise says why. Never throws.
    /// </summary>
    public bool ParsesBack(string line, out string reason)
    {
        var start = 0;
        var end = line.Length;
        while (start < end && char.IsWhiteSpace(line[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(line[end - 1]))
        {
            end--;
        }

        var scratch = t_scratch ??= new List<Field>(64);
        scratch.Clear();
        bool ok;
        int stop;
        WplMiss miss;
        try
        {
            var chars = line.ToCharArray();
            ok = Rule.TryMatch(chars, chars.Length, start, end, scratch, out var text, out stop, out miss);
            if (ok && !ReferenceEquals(text, chars))
            {
                // A preprocessed rule: the leftover is measured in the decoded text.
                line = new string(text);
                end = text.Length;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reported (with the exception's type) as a problem of the generator rule: never silent.
            reason = $"the matcher failed ({e.GetType().Name}): {e.Message}";
            return false;
        }
        finally
        {
            scratch.Clear();
        }

        if (!ok)
        {
            reason = Rule.Describe(miss, end);
            return false;
        }

        if (stop < end && !line.AsSpan(stop, end - stop).IsWhiteSpace())
        {
            reason = $"leftover '{line[stop..end]}' at column {stop + 1}";
            return false;
        }

        reason = "";
        return true;
    }
}
