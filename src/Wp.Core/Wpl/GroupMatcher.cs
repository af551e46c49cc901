using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// A group with a meta word, matched as one field: <c>alt</c> (the first field that matches),
/// <c>opt</c> (the fields in order, or nothing), <c>some_of</c> (any of the fields, repeatedly,
/// at least once, separated by the group separator) and <c>not</c> (succeeds, consuming nothing,
/// when the fields do not match here).
/// </summary>
internal sealed class GroupMatcher : FieldMatcher
{
    private readonly WplGroupMeta _meta;
    private readonly WplSequence _all;
    private readonly WplSequence[] _alternatives;

    public GroupMatcher(WplFieldSpec spec, WplSeparator separator, bool endsGroup, KeyInterner keys)
        : base(spec, separator, endsGroup)
    {
        var group = spec.Group!;
        _meta = group.Meta;
        var plain = group with { Meta = WplGroupMeta.Seq };
        _all = new WplSequence([plain], keys);
        _alternatives = [.. group.Fields.Select(f => new WplSequence([plain with { Fields = [f] }], keys))];
        FieldEstimate = _all.FieldEstimate;
    }

    public override int FieldEstimate { get; }

    public override bool MatchesEmpty => _meta is WplGroupMeta.Opt or WplGroupMeta.Not;

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        var mark = output.Count;
        switch (_meta)
        {
            case WplGroupMeta.Alt:
                foreach (var alt in _alternatives)
                {
                    if (alt.Match(line, pos, end, output, out var stop, out _))
                    {
                        return stop;
                    }

                    output.RemoveRange(mark, output.Count - mark);
                }

                return -1;
            case WplGroupMeta.Opt:
                if (pos < end && _all.Match(line, pos, end, output, out var optStop, out _))
                {
                    return optStop;
                }

                output.RemoveRange(mark, output.Count - mark);
                return pos;
            case WplGroupMeta.Not:
                var matched = pos < end && _all.Match(line, pos, end, output, out _, out _);
                output.RemoveRange(mark, output.Count - mark);
                return matched ? -1 : pos;
            case WplGroupMeta.SomeOf:
                var count = 0;
                while (pos < end)
                {
                    var advanced = false;
                    foreach (var alt in _alternatives)
                    {
                        var before = output.Count;
                        if (alt.Match(line, pos, end, output, out var stop, out _) && stop > pos)
                        {
                            pos = stop;
                            advanced = true;
                            break;
                        }

                        output.RemoveRange(before, output.Count - before);
                    }

                    if (!advanced)
                    {
                        break;
                    }

                    count++;
                }

                return count > 0 ? pos : -1;
            default:
                return _all.Match(line, pos, end, output, out var seqStop, out _) ? seqStop : -1;
        }
    }
}
