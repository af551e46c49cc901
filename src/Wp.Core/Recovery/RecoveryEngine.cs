using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Stats;

namespace Wp.Core.Recovery;

/// <summary>What the wprescue command line asks for (README "wprescue").</summary>
/// <param name="Root">The work root.</param>
/// <param name="Daemon">Keep scanning until signalled (<c>daemon</c>/<c>work</c>); false = <c>batch</c>.</param>
/// <param name="StatSec">Stat window from <c>--stat</c>; null keeps <c>[stat] window_sec</c>.</param>
/// <param name="PrintStat">Print each window's table (<c>-p</c>).</param>
/// <param name="SpeedLimit">Lines/s from <c>--speed-limit</c>; null keeps <c>speed_limit</c>.</param>
internal sealed record RecoveryOptions(WorkRoot Root, bool Daemon, int? StatSec, bool PrintStat, long? SpeedLimit);

/// <summary>
/// Runs wprescue (README "wprescue"): take the instance lock, adopt orphaned <c>.dat.lock</c> files, then pick
/// and replay sealed rescue files one at a time — rescanning after each — until stopped
/// (<c>daemon</c>) or idle for <c>idle_exit_sec</c> (<c>batch</c>).
/// </summary>
/// <remarks>
/// <para>A file whose target fails is left at its checkpoint and its sink backs off exponentially
/// (<see cref="RetryInitial"/> doubling to <see cref="RetryMax"/>); files of other sinks go on
/// meanwhile. A file with a checkpoint is preferred over fresh ones, so a started file is finished
/// first. Each sink's runtime is created on its first file, in replay mode, and kept for the run.</para>
/// <para><b>Batch exit.</b> "Idle" means no progress (no checkpoint moved, no file finished) for
/// <c>idle_exit_sec</c>: an empty folder, only unreplayable files, or a target that stays down. Exit 0
/// when no <c>.dat</c> is left, 5 when some are (README "Exit codes"). A stop signal exits 0 in both modes.</para>
/// </remarks>
internal sealed class RecoveryEngine
{
    private readonly RecoveryOptions _options;
    private readonly TimeProvider _time;

    public RecoveryEngine(RecoveryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>How often an idle run rescans the folder. Default 500 ms.</summary>
    internal TimeSpan ScanInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A <c>.dat</c> is replayed once its size has not changed for this long (see <see cref="RescuePicker"/>). Default 1 s.</summary>
    internal TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a target failure. Default 250 ms.</summary>
    internal TimeSpan RetryInitial { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The wait doubles up to this. Default 10 s.</summary>
    internal TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Each wait is spread by this fraction either way (see <see cref="RetryBackoff"/>). Default 0.2.</summary>
    internal double RetryJitter { get; init; } = 0.2;

    /// <summary>Test seam: replaces the backend factory (default <see cref="SinkBackendFactory.Create"/>).</summary>
    internal Func<SinkOptions, TimeProvider, ISinkBackend>? BackendFactory { get; init; }

    /// <summary>Test seam: the logger to use instead of <c>logs/wprescue.log</c>.</summary>
    internal ILogger? Logger { get; init; }

    /// <summary>
    /// Returns the exit code. Throws <see cref="ConfigException"/> before touching anything when the
    /// configuration is bad; a second instance returns <see cref="ExitCodes.RuntimeFailure"/> at once.
    /// </summary>
    public async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        var root = _options.Root;
        var config = ProjectLoader.Load(root);
        var engine = config.Engine;
        Logger? owned = null;
        var logger = Logger ?? (owned = LogSetup.Create("wprescue", engine.Log, root, root.Conf("wparse.toml")));
        try
        {
            var log = logger.ForContext("SourceContext", "recover");
            if (!InstanceLock.TryAcquire(engine.RescueRoot, out var instance, out var error))
            {
                log.Information("recover refused: {Error:l}", error);
                await stderr.WriteLineAsync("wprescue: " + error);
                return ExitCodes.RuntimeFailure;
            }

            using (instance)
            {
                return await new Run(this, config, logger, log, stdout, stderr).ExecuteAsync(stop);
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>One run's state: picker, checkpoint, targets, backoff.</summary>
    private sealed class Run : IStatSource
    {
        private readonly RecoveryEngine _engine;
        private readonly ProjectConfig _config;
        private readonly ILogger _logger;
        private readonly ILogger _log;
        private readonly TextWriter _stdout;
        private readonly TextWriter _stderr;
        private readonly string _rescueRoot;
        private readonly Dictionary<string, (SinkOptions Sink, SinkGroupOptions Group)> _sinks = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ReplayTarget> _targets = new(StringComparer.Ordinal);
        private readonly RecoveryCounters _counters;
        private readonly CheckpointStore _checkpoints;
        private readonly RescuePicker _picker;
        private readonly StaleLockAdopter _adopter;
        private readonly RetryBackoff _backoff;
        private readonly Replayer _replayer;

        public Run(RecoveryEngine engine, ProjectConfig config, ILogger logger, ILogger log, TextWriter stdout, TextWriter stderr)
        {
            _engine = engine;
            _config = config;
            _logger = logger;
            _log = log;
            _stdout = stdout;
            _stderr = stderr;
            _rescueRoot = Path.GetFullPath(config.Engine.RescueRoot);
            foreach (var group in config.AllGroups)
            {
                foreach (var sink in group.Sinks)
                {
                    _sinks[sink.Name] = (sink, group);
                }
            }

            var rescue = config.Engine.Rescue;
            var time = engine._time;
            _counters = new RecoveryCounters(_rescueRoot);
            _checkpoints = new CheckpointStore(_rescueRoot, log);
            _picker = new RescuePicker(_rescueRoot, _sinks.ContainsKey, rescue.Order, log, engine._time, engine.StableAfter);
            var replayOptions = new ReplayerOptions
            {
                RescueRoot = _rescueRoot,
                CheckpointEveryLines = Math.Max(1, rescue.CheckpointEveryLines),
                SpeedLimit = engine._options.SpeedLimit ?? config.Engine.SpeedLimit,
            };
            _adopter = new StaleLockAdopter(_rescueRoot, replayOptions.BadFolder, time, log);
            _backoff = new RetryBackoff(engine.RetryInitial, engine.RetryMax, time, engine.RetryJitter);
            _replayer = new Replayer(replayOptions, _checkpoints, _counters, time, log);
        }

        private TimeProvider Time => _engine._time;

        private bool Daemon => _engine._options.Daemon;

        public IEnumerable<StatRow> Snapshot() =>
            _counters.Snapshot().Concat(_targets.Values.OrderBy(t => t.Sink.Name, StringComparer.Ordinal).SelectMany(t => t.Snapshot()));

        public async Task<int> ExecuteAsync(CancellationToken stop)
        {
            var options = _engine._options;
            var rescue = _config.Engine.Rescue;
            _log.Information("recover begin");
            _log.Information(
                "wprescue {Mode:l}: rescue folder {Root:l}, order {Order}, speed limit {Speed} lines/s, checkpoint every {Every} lines",
                Daemon ? "daemon" : "batch",
                _rescueRoot,
                rescue.Order.ToString().ToLowerInvariant(),
                options.SpeedLimit ?? _config.Engine.SpeedLimit,
                rescue.CheckpointEveryLines);

            var reporter = new StatReporter([this], Time, "wprescue", new StatSelection(_config.Engine.StatRequests));
            await using var monitor = new RecoveryMonitor(_config, _engine.BackendFactory ?? SinkBackendFactory.Create, Time, _logger.ForContext("SourceContext", "sink"));
            using var statStop = new CancellationTokenSource();
            var window = TimeSpan.FromSeconds(Math.Max(1, options.StatSec ?? _config.Engine.StatWindowSec));
            var statTask = reporter.RunAsync(window, options.PrintStat ? _stdout : null, monitor.WriteAsync, statStop.Token);

            int code;
            try
            {
                _checkpoints.Load();
                await LoopAsync(stop);
                await SettleDeletesAsync(wait: true);
                code = stop.IsCancellationRequested ? ExitCodes.Success : await ExitCodeAsync();
            }
            finally
            {
                foreach (var target in _targets.Values)
                {
                    await target.DisposeAsync(); // flush + fsync + close; never throws
                }

                await statStop.CancelAsync();
                await statTask;
            }

            await _stdout.WriteAsync(StatTable.Render("-- wprescue total --", reporter.FinalTable()));
            _log.Information(
                "recover end: {Files} files replayed, {Entries} records, {Blank} blank and {Bad} bad lines skipped, {Torn} torn tails dropped, {Failures} attempts stopped by a failing target{Signal:l}; {Gc:l}",
                _counters.FilesDone,
                _counters.ReplayedEntries,
                _counters.Blank,
                _counters.Bad,
                _adopter.TornLinesDropped,
                _counters.TargetFailures,
                stop.IsCancellationRequested ? " (stopped by signal)" : string.Empty,
                GcSummary.Describe());
            _log.Information("recover end");
            return code;
        }

        private async Task LoopAsync(CancellationToken stop)
        {
            var idleExit = TimeSpan.FromSeconds(Math.Max(0, _config.Engine.Rescue.IdleExitSec));
            var lastProgress = Time.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                await SettleDeletesAsync(wait: false);
                _adopter.AdoptAll();
                var candidates = _picker.Scan();
                PruneCheckpoints();
                var next = Choose(candidates);
                if (_picker.Settling)
                {
                    lastProgress = Time.GetTimestamp(); // a file still being written is work to come, not idleness
                }

                if (next is null)
                {
                    var idle = Time.GetElapsedTime(lastProgress);
                    if (!Daemon && idle >= idleExit && !_picker.Settling)
                    {
                        return;
                    }

                    var wait = _engine.ScanInterval;
                    if (_backoff.NextDue() is { } due && due < wait)
                    {
                        wait = due;
                    }

                    if (!Daemon && idleExit - idle < wait && !_picker.Settling)
                    {
                        wait = idleExit - idle;
                    }

                    await DelayAsync(wait, stop);
                    continue;
                }

                _log.Information("recover file: {Path:l}", next.Path);
                var target = GetTarget(next.Name.SinkName);
                if (target is null)
                {
                    continue; // the picker skips this sink's files from now on
                }

                var result = await _replayer.ReplayAsync(next, target, stop);
                if (result.Progressed || result.Status == ReplayStatus.Completed)
                {
                    lastProgress = Time.GetTimestamp();
                }

                switch (result.Status)
                {
                    case ReplayStatus.Completed:
                        _backoff.Succeed(next.Name.SinkName);
                        _backoff.Succeed(next.Path);
                        break;
                    case ReplayStatus.TargetFailed:
                        if (result.Progressed)
                        {
                            _backoff.Succeed(next.Name.SinkName); // it worked for a while: start the backoff over
                        }

                        var delay = _backoff.Fail(next.Name.SinkName, result.RetryAfter);
                        _log.Warning(
                            "recover stop {Path:l} at line {Lines} (byte {Offset}): target failed: {Error:l}; retrying sink {Sink:l} in {Delay} ms",
                            next.Path,
                            result.Position.Lines,
                            result.Position.Offset,
                            result.Error,
                            next.Name.SinkName,
                            (long)delay.TotalMilliseconds);
                        break;
                    case ReplayStatus.LocalFailure:
                        var localDelay = _backoff.Fail(next.Path);
                        _log.Warning("recover {Path:l}: retrying in {Delay} ms", next.Path, (long)localDelay.TotalMilliseconds);
                        break;
                    case ReplayStatus.Refused:
                        _picker.MarkFileUnusable(next.Path, result.Error!);
                        break;
                    case ReplayStatus.Stopped:
                        _log.Information("recover stop {Path:l} at line {Lines} (byte {Offset}): stop requested; checkpoint written", next.Path, result.Position.Lines, result.Position.Offset);
                        return;
                }
            }
        }

        /// <summary>Ends the background deletes of replayed files (see <see cref="Replayer.SettleDeletesAsync"/>); one that failed is retried after a backoff.</summary>
        private async Task SettleDeletesAsync(bool wait)
        {
            foreach (var file in await _replayer.SettleDeletesAsync(wait))
            {
                var delay = _backoff.Fail(file.Path);
                _log.Warning("recover {Path:l}: retrying in {Delay} ms", file.Path, (long)delay.TotalMilliseconds);
            }
        }

        /// <summary>The first ready candidate, files with a checkpoint first (finish what was started).</summary>
        private RescueCandidate? Choose(IReadOnlyList<RescueCandidate> candidates) =>
            candidates
                .Where(c => !_replayer.IsBeingDeleted(c.FileName) && !_backoff.IsWaiting(c.Name.SinkName) && !_backoff.IsWaiting(c.Path))
                .OrderBy(c => _checkpoints.TryGet(c.FileName, out _) ? 0 : 1) // stable: keeps the picker's order
                .FirstOrDefault();

        private void PruneCheckpoints()
        {
            try
            {
                foreach (var file in _checkpoints.PruneMissing(f => _replayer.IsBeingDeleted(f) || File.Exists(Path.Combine(_rescueRoot, f))))
                {
                    _log.Information("recover checkpoint: {File:l} is no longer in {Root:l} (replayed and deleted before the checkpoint was cleared); entry removed", file, _rescueRoot);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Error("recover checkpoint {Path:l} could not be rewritten: {Error:l}", _checkpoints.FilePath, ex.Message);
            }
        }

        private ReplayTarget? GetTarget(string sinkName)
        {
            if (_targets.TryGetValue(sinkName, out var existing))
            {
                return existing;
            }

            var (sink, group) = _sinks[sinkName];
            ISinkBackend backend;
            try
            {
                backend = (_engine.BackendFactory ?? SinkBackendFactory.Create)(sink, Time);
            }
            catch (Exception ex) when (ex is ConfigException or ArgumentException)
            {
                _picker.MarkUnusable(sinkName, $"sink {sinkName} cannot be opened: {ex.Message}");
                return null;
            }

            var runtime = new SinkRuntime(
                new SinkRuntimeOptions
                {
                    SinkName = sink.Name,
                    OnError = group.OnError,
                    RescueRoot = _rescueRoot,
                    MaxFileBytes = _config.Engine.Rescue.MaxFileBytes,
                    DivertOnFailure = false, // wprescue never writes rescue files (docs/restarts.md)
                },
                backend,
                Time,
                _logger.ForContext("SourceContext", "sink"));
            var target = new ReplayTarget(sink, runtime, group.BatchSize);
            _targets[sinkName] = target;
            return target;
        }

        private async Task<int> ExitCodeAsync()
        {
            if (Daemon)
            {
                return ExitCodes.Success;
            }

            var left = _picker.Scan().Select(c => c.Path).Concat(_picker.Skipped).Order(StringComparer.Ordinal).ToList();
            if (left.Count == 0)
            {
                return ExitCodes.Success;
            }

            var names = string.Join(", ", left.Select(Path.GetFileName));
            // Information: stderr gets the one summary line below (errors would be echoed there too).
            _log.Information("recover: {Count} rescue files left unreplayed in {Root:l}: {Files:l}", left.Count, _rescueRoot, names);
            await _stderr.WriteLineAsync($"wprescue: {left.Count} rescue file(s) left unreplayed in {_rescueRoot}: {names}");
            return ExitCodes.RescueLeft;
        }

        private async Task DelayAsync(TimeSpan wait, CancellationToken stop)
        {
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), Time, stop);
            }
            catch (OperationCanceledException)
            {
                // A stop request ends the loop at its next check.
            }
        }
    }
}
