using Serilog;

namespace Wp.Core.Sources.Files;

/// <summary>
/// Saves the acknowledged position of every file source (SPEC §4.1): at least every second while
/// the watermark moves, and once more at the end of a graceful stop, after every sink has flushed
/// and every rescue file is sealed. A failed save is logged and retried at the next tick; it never
/// stops the pipeline (the worst case after a crash is re-reading, never skipping).
/// </summary>
internal sealed class PositionKeeper
{
    /// <summary>How often a moving position is saved.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly PositionStore _store;
    private readonly IReadOnlyList<FileSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly long[] _saved;

    public PositionKeeper(PositionStore store, IReadOnlyList<FileSource> sources, TimeProvider time, ILogger log)
    {
        _store = store;
        _sources = sources;
        _time = time;
        _log = log;
        _saved = new long[sources.Count];
    }

    /// <summary>Saves changed positions every <see cref="Interval"/> until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, _time, stop);
                SaveChanged();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Saves every position whose watermark moved since the last save; returns how many saves failed (each logged).</summary>
    public int SaveChanged()
    {
        var failures = 0;
        for (var i = 0; i < _sources.Count; i++)
        {
            var source = _sources[i];
            var advances = source.Tracker.Advances;
            if (advances == _saved[i] || !source.Tracker.TryGetWatermark(out var position))
            {
                continue;
            }

            try
            {
                _store.Save(source.Key, position);
                _saved[i] = advances;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures++;
                _log.Warning("source {Key}: cannot save its read position to {Path}: {Error}", source.Key, _store.PathOf(source.Key), ex.Message);
            }
        }

        return failures;
    }

    /// <summary>The final save at a stop; logs where each source stands and how many units were left unacknowledged.</summary>
    public int SaveFinal()
    {
        var failures = SaveChanged();
        foreach (var source in _sources)
        {
            var open = source.Tracker.Outstanding;
            if (source.Tracker.TryGetWatermark(out var position))
            {
                _log.Information("source {Key}: position saved: byte {Offset}, line {Lines} of {Path}{Open}",
                    source.Key, position.Offset, position.Lines, position.Path, open == 0 ? string.Empty : $" ({open} batches not stored: read again at the next start)");
            }
            else if (open > 0)
            {
                _log.Warning("source {Key}: {Open} batches read but not stored: the position did not move", source.Key, open);
            }
        }

        return failures;
    }
}
