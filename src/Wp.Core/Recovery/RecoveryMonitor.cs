using Serilog;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Recovery;

/// <summary>
/// Writes wprescue's stat records to the <c>monitor</c> infra group (docs/restarts.md, stat windows), so monitoring shows
/// recovery progress. File sinks append under a lock, so this is safe while wparse writes the same
/// monitor file. A failing monitor sink is logged and skipped: monitoring never stops a replay.
/// </summary>
internal sealed class RecoveryMonitor : IAsyncDisposable
{
    private readonly List<SinkRuntime> _sinks = [];
    private readonly ILogger _log;

    public RecoveryMonitor(ProjectConfig config, Func<SinkOptions, TimeProvider, ISinkBackend> backends, TimeProvider time, ILogger log)
    {
        _log = log;
        if (!config.InfraGroups.TryGetValue(InfraGroups.Monitor, out var group))
        {
            return;
        }

        foreach (var sink in group.Sinks)
        {
            _sinks.Add(new SinkRuntime(
                new SinkRuntimeOptions
                {
                    SinkName = sink.Name,
                    RescueRoot = config.Engine.RescueRoot,
                    DivertOnFailure = false, // wprescue never writes rescue files (docs/restarts.md)
                },
                backends(sink, time),
                time,
                log));
        }
    }

    /// <summary>Writes one window's stat records to every monitor sink and flushes them.</summary>
    public async ValueTask WriteAsync(IReadOnlyList<Record> records)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.WriteAsync(records, CancellationToken.None);
                await sink.FlushAsync(CancellationToken.None);
            }
            catch (SinkFailedException ex)
            {
                _log.Warning("monitor sink {Sink}: {Error}; this window's stat records are skipped", sink.SinkName, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sink in _sinks)
        {
            await sink.DisposeAsync();
        }
    }
}
