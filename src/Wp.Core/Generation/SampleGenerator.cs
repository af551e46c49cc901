using System.Text;
using Wp.Core.Stats;
using Wp.Core.Timing;

namespace Wp.Core.Generation;

/// <summary>
/// <c>wpgen sample</c> (SPEC §12): cycles through every line of every <c>sample.dat</c> under the WPL
/// folder, in ordinal path order, until <c>count</c> lines are written at <c>speed</c> lines/s.
/// </summary>
internal sealed class SampleGenerator : IStatSource
{
    private readonly IReadOnlyList<string> _lines;
    private readonly string _outputPath;
    private long _written;

    public SampleGenerator(IReadOnlyList<string> lines, string outputPath)
    {
        if (lines.Count == 0)
        {
            throw new InvalidOperationException("no sample lines: no non-empty sample.dat under the WPL folder");
        }

        _lines = lines;
        _outputPath = outputPath;
    }

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Every non-blank line of every <c>sample.dat</c> below <paramref name="wplRoot"/>, in ordinal path order.</summary>
    public static IReadOnlyList<string> LoadSamples(string wplRoot)
    {
        if (!Directory.Exists(wplRoot))
        {
            throw new DirectoryNotFoundException($"WPL folder not found: {wplRoot}");
        }

        return Directory.EnumerateFiles(wplRoot, "sample.dat", SearchOption.AllDirectories)
            .OrderBy(path => Path.GetRelativePath(wplRoot, path), StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .ToList();
    }

    /// <summary>Writes <paramref name="count"/> lines (replacing the output file by a rename once written), honouring <paramref name="limiter"/>.</summary>
    public async Task RunAsync(long count, SpeedLimiter limiter, CancellationToken stop)
    {
        await using var file = new ReplacingFile(_outputPath);
        var output = new StreamWriter(file.Stream, new UTF8Encoding(false), bufferSize: 1 << 20, leaveOpen: true);
        var next = 0;
        try
        {
            while (Written < count && !stop.IsCancellationRequested)
            {
                var granted = await limiter.AcquireAsync((int)Math.Min(4096, count - Written), stop);
                for (var i = 0; i < granted; i++)
                {
                    await output.WriteAsync(_lines[next]);
                    await output.WriteAsync('\n');
                    next = (next + 1) % _lines.Count;
                }

                Interlocked.Add(ref _written, granted);
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
        yield return new StatRow("gen", "sample", _outputPath, Written, Written);
    }
}
