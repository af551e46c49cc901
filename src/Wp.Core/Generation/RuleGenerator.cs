using Wp.Core.Records;
using System.Text;
using Wp.Core.Timing;
using Wp.Core.Stats;

namespace Wp.Core.Generation;

/// <summary>
/// <c>wpgen rule</c> (SPEC §12): writes <c>count</c> random lines from the generator rules
/// (round-robin, reproducible from <c>seed</c>) at <c>speed</c> lines/s. Lines are built in batches
/// into one pooled buffer, so writing allocates nothing per line.
/// </summary>
internal sealed class RuleGenerator : IStatSource
{
    /// <summary>The seed when none is given: a fixed value, so two runs with the same rules and count write the same file.</summary>
    public const long DefaultSeed = 1;

    private const int MaxBatch = 4096;

    private readonly GenRuleSet _rules;
    private readonly string _outputPath;
    private readonly long _seed;
    private readonly long[] _perRule;

    public RuleGenerator(GenRuleSet rules, string outputPath, long seed = DefaultSeed)
    {
        _rules = rules;
        _outputPath = outputPath;
        _seed = seed;
        _perRule = new long[rules.Rules.Count];
    }

    /// <summary>Lines written so far (all rules).</summary>
    public long Written
    {
        get
        {
            var total = 0L;
            for (var i = 0; i < _perRule.Length; i++)
            {
                total += Interlocked.Read(ref _perRule[i]);
            }

            return total;
        }
    }

    /// <summary>Writes <paramref name="count"/> lines (replacing the output file by a rename once written), honouring <paramref name="limiter"/>.</summary>
    public async Task RunAsync(long count, SpeedLimiter limiter, CancellationToken stop)
    {
        await using var file = new ReplacingFile(_outputPath);
        var output = new StreamWriter(file.Stream, new UTF8Encoding(false), bufferSize: 1 << 20, leaveOpen: true);
        using var batch = new TextBuffer(1 << 18);
        var lines = _rules.Open(_seed);
        var written = 0L;
        try
        {
            while (written < count && !stop.IsCancellationRequested)
            {
                var granted = await limiter.AcquireAsync((int)Math.Min(MaxBatch, count - written), stop);
                batch.Clear();
                for (var i = 0; i < granted; i++)
                {
                    var rule = lines.AppendLine(batch);
                    batch.Append('\n');
                    Interlocked.Increment(ref _perRule[rule]);
                }

                await output.WriteAsync(batch.Memory, CancellationToken.None);
                written += granted;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by a signal: what was generated so far is kept.
        }

        await output.DisposeAsync();
        file.Commit();
    }

    public IEnumerable<StatRow> Snapshot()
    {
        for (var i = 0; i < _perRule.Length; i++)
        {
            var n = Interlocked.Read(ref _perRule[i]);
            yield return new StatRow("gen", _rules.Rules[i].Rule.Path, _outputPath, n, n);
        }
    }
}
