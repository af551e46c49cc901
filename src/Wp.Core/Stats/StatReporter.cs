using Wp.Core.Records;

namespace Wp.Core.Stats;

/// <summary>
/// Every stat window: snapshots all sources, computes each row's speed over the window, prints the
/// table when asked (<c>-p</c>) and hands one monitor record per row to <c>monitor</c> (SPEC §10).
/// At the end, <see cref="FinalTable"/> gives the whole-run table with average speeds.
/// </summary>
internal sealed class StatReporter
{
    private readonly IReadOnlyList<IStatSource> _sources;
    private readonly TimeProvider _time;
    private readonly string _tool;
    private readonly StatSelection _selection;
    private readonly long _started;
    private Dictionary<string, (long Total, long At)> _previous = [];

    /// <param name="tool">Names the reporting tool in monitor records (wparse and wprescue may share a monitor sink).</param>
    /// <param name="selection">Which rows the tables and monitor records show (<c>[[stat.*]]</c>); default all.</param>
    public StatReporter(IReadOnlyList<IStatSource> sources, TimeProvider time, string tool = "", StatSelection? selection = null)
    {
        _sources = sources;
        _time = time;
        _tool = tool;
        _selection = selection ?? StatSelection.All;
        _started = time.GetTimestamp();
    }

    /// <summary>
    /// Runs windows of <paramref name="window"/> until <paramref name="stop"/> is cancelled; then,
    /// when <paramref name="finalWindow"/> is set, sends one last window to the monitor (callers
    /// that send the final table themselves, see <see cref="MonitorRecords"/>, pass false).
    /// </summary>
    public async Task RunAsync(TimeSpan window, TextWriter? print, Func<IReadOnlyList<Record>, ValueTask>? monitor, CancellationToken stop, bool finalWindow = true)
    {
        using var timer = new PeriodicTimer(window, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var lines = Window();
                print?.Write(StatTable.Render($"-- stat window {window.TotalSeconds:0.#}s @ {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z (total: since start; in window, speed: this window) --", lines));
                if (monitor is not null)
                {
                    await monitor(lines.Select(ToMonitorRecord).ToList());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping is the normal end of the loop.
        }

        if (monitor is not null && finalWindow)
        {
            // One last window, so monitoring ends on the final counts rather than the last tick's.
            await monitor(Window().Select(ToMonitorRecord).ToList());
        }
    }

    /// <summary>Rows with their speed since the previous window.</summary>
    public IReadOnlyList<StatLine> Window()
    {
        var now = _time.GetTimestamp();
        var current = new Dictionary<string, (long, long)>();
        var lines = new List<StatLine>();
        foreach (var row in Rows())
        {
            var (total, at) = _previous.TryGetValue(row.Key, out var p) ? p : (0, _started);
            var seconds = _time.GetElapsedTime(at, now).TotalSeconds;
            lines.Add(new StatLine(row, seconds > 0 ? (row.Total - total) / seconds : 0, row.Total - total));
            current[row.Key] = (row.Total, now);
        }

        _previous = current;
        return lines;
    }

    /// <summary>Rows with their average speed over the whole run.</summary>
    public IReadOnlyList<StatLine> FinalTable()
    {
        var seconds = _time.GetElapsedTime(_started).TotalSeconds;
        return Rows().Select(r => new StatLine(r, seconds > 0 ? r.Total / seconds : 0)).ToList();
    }

    /// <summary>Monitor records of <paramref name="lines"/> (e.g. the final table, so monitoring ends on exactly what was printed).</summary>
    public IReadOnlyList<Record> MonitorRecords(IReadOnlyList<StatLine> lines) => lines.Select(ToMonitorRecord).ToList();

    private IReadOnlyList<StatRow> Rows() => _selection.Apply(_sources.SelectMany(s => s.Snapshot()).ToList());

    private Record ToMonitorRecord(StatLine line)
    {
        var record = new Record(10);
        record.Add("time", Value.DateTime(_time.GetUtcNow().UtcDateTime));
        record.Add("tool", Value.String(_tool));
        record.Add("stage", Value.String(line.Row.Stage));
        record.Add("name", Value.String(line.Row.Name));
        record.Add("target", Value.String(line.Row.Target));
        record.Add("total", Value.Int(line.Row.Total));
        record.Add("success", Value.Int(line.Row.Success));
        record.Add("speed", Value.Float(Math.Round(line.Speed, 1)));
        if (line.InWindow is { } inWindow)
        {
            record.Add("in_window", Value.Int(inWindow));
        }

        return record;
    }
}
