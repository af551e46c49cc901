using Wp.Core.Stats;

namespace Wp.Core.Pipeline;

/// <summary>Parse-stage counters, added once per line batch by each worker.</summary>
internal sealed class ParseCounters : IStatSource
{
    private readonly string[] _rulePaths;
    private readonly long[] _perRule;
    private readonly long[] _missPerRule;
    private long _lines;
    private long _blank;
    private long _miss;
    private long _residue;
    private long _transformErrors;

    public ParseCounters(IReadOnlyList<string> rulePaths)
    {
        _rulePaths = [.. rulePaths];
        _perRule = new long[rulePaths.Count];
        _missPerRule = new long[rulePaths.Count];
    }

    public long Lines => Interlocked.Read(ref _lines);

    public long Blank => Interlocked.Read(ref _blank);

    public long Miss => Interlocked.Read(ref _miss);

    public long Residue => Interlocked.Read(ref _residue);

    public long TransformErrors => Interlocked.Read(ref _transformErrors);

    public void Add(in ParseTally tally)
    {
        Interlocked.Add(ref _lines, tally.Lines);
        Interlocked.Add(ref _blank, tally.Blank);
        Interlocked.Add(ref _miss, tally.Miss);
        Interlocked.Add(ref _residue, tally.Residue);
        Interlocked.Add(ref _transformErrors, tally.TransformErrors);
        for (var i = 0; i < _perRule.Length; i++)
        {
            if (tally.PerRule[i] != 0)
            {
                Interlocked.Add(ref _perRule[i], tally.PerRule[i]);
            }

            if (tally.MissPerRule[i] != 0)
            {
                Interlocked.Add(ref _missPerRule[i], tally.MissPerRule[i]);
            }
        }
    }

    public IEnumerable<StatRow> Snapshot()
    {
        var lines = Lines;
        var blank = Blank;
        var matched = 0L;
        for (var i = 0; i < _perRule.Length; i++)
        {
            var count = Interlocked.Read(ref _perRule[i]);
            matched += count;
            yield return new StatRow("parse", _rulePaths[i], "rule", lines - blank, count);
        }

        yield return new StatRow("parse", "all", "parsed/non-blank", lines - blank, matched);
        yield return new StatRow("parse", "miss", "miss", lines - blank, Miss);
        for (var i = 0; i < _missPerRule.Length; i++)
        {
            // Misses by the rule that came closest: which rule to fix first.
            var missed = Interlocked.Read(ref _missPerRule[i]);
            if (missed > 0)
            {
                yield return new StatRow("parse", _rulePaths[i], "miss, closest", lines - blank, missed);
            }
        }
        if (blank > 0)
        {
            yield return new StatRow("parse", "blank", "dropped", lines, blank);
        }
    }
}

/// <summary>One worker's counts for one line batch.</summary>
internal struct ParseTally
{
    public ParseTally(int rules)
    {
        PerRule = new long[rules];
        MissPerRule = new long[rules];
    }

    public long Lines;
    public long Blank;
    public long Miss;
    public long Residue;
    public long TransformErrors;
    public long[] PerRule;

    /// <summary>Missed lines, by the rule that came closest.</summary>
    public long[] MissPerRule;
}
