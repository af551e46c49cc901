using Wp.Core.Config;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Stats;

namespace Wp.Core.Recovery;

/// <summary>
/// The sink a rescue file replays into: its configuration, its runtime (replay mode), the write batch
/// size of its group, and how many records were handed to it. Its stat row is
/// <c>sink &lt;name&gt; &lt;target&gt; handed delivered</c>.
/// </summary>
internal sealed class ReplayTarget : IStatSource, IAsyncDisposable
{
    private long _sent;

    public ReplayTarget(SinkOptions sink, SinkRuntime runtime, int batchSize)
    {
        Sink = sink;
        Runtime = runtime;
        BatchSize = Math.Max(1, batchSize);
    }

    public SinkOptions Sink { get; }

    public SinkRuntime Runtime { get; }

    /// <summary>Largest write batch (the group's <c>batch_size</c>).</summary>
    public int BatchSize { get; }

    private long _replayed;

    /// <summary>Records handed to the runtime, re-sends after a failure included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Records replayed and checkpointed (flushed), each counted once whatever the retries.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>The row counts records replayed once (checkpointed): re-sends after a failing target are not counted again.</summary>
    public IEnumerable<StatRow> Snapshot()
    {
        var replayed = Replayed;
        yield return new StatRow("sink", Sink.Name, Sink.Target, replayed, replayed);
    }

    /// <summary>Flushes the target and forces it to stable storage (fsync for a file), before a replayed rescue file is deleted.</summary>
    public ValueTask SyncAsync(CancellationToken cancellationToken) => Runtime.SyncAsync(cancellationToken);

    /// <summary>Flushes and closes the sink (fsyncs a file sink). Never throws (the runtime logs failures).</summary>
    public ValueTask DisposeAsync() => Runtime.DisposeAsync();

    internal void AddSent(long n) => Interlocked.Add(ref _sent, n);

    internal void AddReplayed(long n) => Interlocked.Add(ref _replayed, n);
}
