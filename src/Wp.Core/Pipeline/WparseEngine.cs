using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Serilog;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Oml;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Sources;
using Wp.Core.Sources.Files;
using Wp.Core.Stats;
using Wp.Core.Timing;
using Wp.Core.Wpl;

namespace Wp.Core.Pipeline;

/// <summary>
/// Runs wparse: sources → line channel → parse workers → per-sink channels → sink workers
/// (README "wparse", docs/configuration.md). Shutdown drains in flow order — sources stop, parse workers finish, business
/// sinks drain, then infra sinks (which tolerant sinks and the stat reporter feed) — and finally
/// every sink runtime is disposed, which flushes primaries and seals rescue files.
/// </summary>
internal sealed class WparseEngine
{
    private readonly WparseOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<ISource, ISource> _wrapSource;

    /// <param name="wrapSource">Wraps each source the providers make (tests inject faults here); null: as made.</param>
    public WparseEngine(WparseOptions options, TimeProvider time, Func<ISource, ISource>? wrapSource = null)
    {
        _options = options;
        _time = time;
        _wrapSource = wrapSource ?? (source => source);
    }

    /// <summary>Returns the exit code; throws <see cref="ConfigException"/> before reading anything when the configuration is bad.</summary>
    public async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        var root = _options.Root;
        var config = ProjectLoader.Load(root);
        var engine = config.Engine;
        // The rules were loaded and validated with everything else; --wpl DIR loads another folder for this run.
        var rules = _options.WplDir is { } wpl ? WplRuleSet.LoadDirectory(root.Resolve(wpl)) : config.Rules;
        var parseWorkers = _options.ParseWorkers ?? engine.ParseWorkers;
        var models = config.Models;
        using var logger = LogSetup.Create("wparse", engine.Log, root, root.Conf("wparse.toml"));
        var log = logger.ForContext("SourceContext", "ctrl");
        log.Information("wparse {Mode} start: work root {Root}, {Rules} rules, {Models} oml models",
            _options.Follow ? "daemon" : "batch", root, rules.Rules.Count, models.Count);

        using var readStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var topology = SinkTopology.Build(config, _time, logger, onFatal: _ => readStop.Cancel());
        foreach (var missing in InfraGroups.All.Where(name => !config.InfraGroups.ContainsKey(name)))
        {
            log.Warning("infra group {Group} has no file in {Folder}: its records are counted and dropped", missing, Path.Combine(engine.SinkRoot, "infra.d"));
        }

        // Declared outside the try so that the failure path can drain and dispose whatever was started.
        var disposed = false;
        var sources = new List<ISource>();
        Channel<LineBatch>? lines = null;
        var parseTasks = new List<Task>();
        var sinkTasks = new Dictionary<SinkWorker, Task>();
        PositionKeeper? keeper = null;
        var keeperTask = Task.CompletedTask;
        var statTask = Task.CompletedTask;
        using var keeperStop = new CancellationTokenSource();
        using var statStop = new CancellationTokenSource();
        try
        {
            var plan = new RoutePlan(rules, models, topology.Business, config.BusinessGroups, topology.Infra);
            var parseCounters = new ParseCounters(rules.Rules.Select(r => r.Path).ToList());
            var limiter = new SpeedLimiter(_options.SpeedLimit ?? engine.SpeedLimit, _time);
            var budget = new LineBudget(_options.MaxLines);
            var positions = engine.PosRoot is { } posRoot ? new PositionStore(posRoot) : null;
            var sourceLog = logger.ForContext("SourceContext", "ctrl");
            var records = new RecordPool();
            var sourceRun = new SourceRun(_options.Follow, limiter, budget, _time, sourceLog, positions, _options.FromStart, records);
            foreach (var source in config.Sources.Where(s => s.Enable))
            {
                sources.Add(_wrapSource(source.Provider.Create(source.Key, source.Settings, sourceRun)));
            }

            var fileSources = sources.OfType<FileSourceRun>().Select(f => f.Source).ToList();
            keeper = positions is null ? null : new PositionKeeper(positions, fileSources, _time, sourceLog);
            var reporter = new StatReporter([new SourceStats(sources.Select(s => s.Counters).ToList()), parseCounters, .. topology.Workers.OrderBy(w => w.IsInfra), .. topology.Infra.Values.Where(o => o.Sinks.Count == 0)], _time, "wparse",
                new StatSelection(engine.StatRequests));

            // Two queued batches per worker: enough to never starve a worker, few enough that lines do
            // not wait (and age into older GC generations) in the channel.
            lines = Channel.CreateBounded<LineBatch>(new BoundedChannelOptions(Math.Max(2, parseWorkers) * 2)
            {
                FullMode = BoundedChannelFullMode.Wait,
            });
            foreach (var worker in topology.Workers)
            {
                sinkTasks[worker] = Task.Run(() => worker.RunAsync(topology.OnFatal), CancellationToken.None);
            }

            var lineReader = lines.Reader;
            for (var i = 0; i < Math.Max(1, parseWorkers); i++)
            {
                parseTasks.Add(Task.Run(() => new ParseWorker(rules, plan, parseCounters, records).RunAsync(lineReader), CancellationToken.None));
            }

            var window = TimeSpan.FromSeconds(Math.Max(1, _options.StatSec ?? engine.StatWindowSec));
            var monitor = topology.Infra.GetValueOrDefault(InfraGroups.Monitor);
            statTask = reporter.RunAsync(
                window,
                _options.PrintStat ? stdout : null,
                monitor is null ? null : records => monitor.PostAsync(records, ack: null, CancellationToken.None),
                statStop.Token,
                finalWindow: false);

            keeperTask = keeper?.RunAsync(keeperStop.Token) ?? Task.CompletedTask;

            var failures = await ReadAllAsync(sources, lines.Writer, log, readStop);
            await Task.WhenAll(parseTasks);
            await DrainAsync(topology.Workers.Where(w => !w.IsInfra), sinkTasks);
            await statStop.CancelAsync();
            await statTask;
            var monitorWorkers = monitor?.Sinks ?? [];
            await DrainAsync(topology.Workers.Where(w => w.IsInfra && !monitorWorkers.Contains(w)), sinkTasks);

            // The final table is taken once every other sink is drained, and the very same rows are the
            // monitor's last records, so what monitoring ends on is what is printed.
            var final = reporter.FinalTable();
            if (monitor is not null)
            {
                await monitor.PostAsync(reporter.MonitorRecords(final), ack: null, CancellationToken.None);
            }

            await DrainAsync(monitorWorkers, sinkTasks);
            failures += await topology.DisposeAsync(log);
            disposed = true;

            // Last: every sink has flushed and fsynced, every rescue file is sealed.
            await keeperStop.CancelAsync();
            await keeperTask;
            keeper?.SaveFinal();

            // After the sinks' last flush: sources that acknowledge to a server (nats_src) send their last acks.
            foreach (var source in sources.OfType<IAsyncDisposable>())
            {
                await source.DisposeAsync();
            }

            rules.ReportMatcherErrors(log);

            stdout.Write(StatTable.Render("-- wparse total --", final));
            stdout.Write(SinkLedger.Render("-- wparse sinks: routed = written + to rescue + to error + not stored --", topology.Workers.OrderBy(w => w.IsInfra).Select(w => w.Ledger()).ToList()));
            log.Information("wparse end: {Lines} lines, {Miss} miss, {Blank} blank{Signal}; {Gc}",
                parseCounters.Lines, parseCounters.Miss, parseCounters.Blank, stop.IsCancellationRequested ? " (stopped by signal)" : string.Empty, GcSummary.Describe());

            foreach (var fatal in topology.Workers.Where(w => w.Fatal is not null))
            {
                stderr.WriteLine($"wparse: sink {fatal.Sink.Name} ({fatal.Sink.SourceFile}): {fatal.Fatal!.Message}; {fatal.Abandoned} records not stored");
                failures++;
            }

            return failures == 0 ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }
        finally
        {
            if (!disposed)
            {
                // An unexpected exception (a bug): stop reading, let the lines already read reach their sinks,
                // flush every primary and seal every rescue file, save the acknowledged read positions and
                // close the sources, so what was stored stays stored and nothing is acknowledged that was not.
                // Each step runs even when an earlier one fails (logged). The exception goes on to CliHost
                // (one line on stderr, the stack trace in the log file).
                await readStop.CancelAsync();
                lines?.Writer.TryComplete();
                await Quietly(Task.WhenAll(parseTasks), "parse", log);
                await statStop.CancelAsync();
                await Quietly(statTask, "stat", log);
                foreach (var worker in topology.Workers)
                {
                    worker.Complete();
                }

                await Quietly(Task.WhenAll(sinkTasks.Values), "sink", log);
                await topology.DisposeAsync(log);
                await keeperStop.CancelAsync();
                await Quietly(keeperTask, "positions", log);
                keeper?.SaveFinal();
                foreach (var source in sources.OfType<IAsyncDisposable>())
                {
                    await Quietly(source.DisposeAsync().AsTask(), "source", log);
                }
            }
        }
    }

    /// <summary>Awaits a step of the failure path; its own failure is logged, never thrown over the first one.</summary>
    private static async Task Quietly(Task task, string step, ILogger log)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            log.Error(ex, "wparse: stopping after a failure: {Step} also failed: {Error}", step, ex.Message);
        }
    }

    /// <summary>
    /// Runs every source to its end; returns how many failed to read (each is logged). An unexpected
    /// exception (a bug) stops the other sources, waits for them, and is rethrown; the channel is completed either way.
    /// </summary>
    private static async Task<int> ReadAllAsync(IReadOnlyList<ISource> sources, ChannelWriter<LineBatch> lines, ILogger log, CancellationTokenSource stop)
    {
        var failures = 0;
        ExceptionDispatchInfo? unexpected = null;
        var tasks = sources.Select(s => Task.Run(() => s.RunAsync(lines, stop.Token))).ToList();
        foreach (var (task, source) in tasks.Zip(sources))
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                log.Error("source {Key}: {Error}", source.Counters.Key, ex.Message);
                failures++;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (unexpected is null)
                {
                    unexpected = ExceptionDispatchInfo.Capture(ex);
                    await stop.CancelAsync();
                }
            }
        }

        lines.TryComplete();
        unexpected?.Throw();
        return failures;
    }

    private static async Task DrainAsync(IEnumerable<SinkWorker> workers, IReadOnlyDictionary<SinkWorker, Task> tasks)
    {
        var draining = workers.ToList();
        foreach (var worker in draining)
        {
            worker.Complete();
        }

        await Task.WhenAll(draining.Select(w => tasks[w]));
    }
}
