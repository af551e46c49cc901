using System.Threading.Channels;
using Serilog;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Stats;

namespace Wp.Core.Pipeline;

/// <summary>
/// The one writer of a sink: takes record chunks from its bounded channel, cuts them into batches
/// of <c>batch_size</c> (or whatever arrived within <c>batch_timeout_ms</c>) and hands each batch to
/// the sink's <see cref="SinkRuntime"/>, which owns failure handling (SPEC §6.3, §8).
/// </summary>
internal sealed class SinkWorker : IStatSource
{
    // A chunk is up to one line batch (1024 records). Four queued chunks keep the sink busy while a
    // parse worker fills the next one; more only holds records in memory longer, which raised peak
    // RSS (64 chunks: 213 MiB, 4: 147 MiB on the 10^6-line bench) and made the GC promote them.
    private const int ChannelChunks = 4;

    private readonly Channel<IReadOnlyList<Record>> _channel;
    private readonly SinkRuntime _runtime;
    private readonly int _batchSize;
    private readonly TimeSpan _batchTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _routed;
    private long _abandoned;

    public SinkWorker(SinkOptions sink, SinkGroupOptions group, SinkRuntime runtime, TimeProvider time, ILogger log)
    {
        Sink = sink;
        IsInfra = group.IsInfra;
        _runtime = runtime;
        _batchSize = Math.Max(1, group.BatchSize);
        _batchTimeout = TimeSpan.FromMilliseconds(Math.Max(1, group.BatchTimeoutMs));
        _time = time;
        _log = log;
        _channel = Channel.CreateBounded<IReadOnlyList<Record>>(new BoundedChannelOptions(ChannelChunks)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public SinkOptions Sink { get; }

    /// <summary>Whether the sink belongs to an infra group (drained after business sinks).</summary>
    public bool IsInfra { get; }

    public SinkRuntime Runtime => _runtime;

    /// <summary>The fatal error that stopped this sink (strategy <c>throw</c>, or rescue impossible), if any.</summary>
    public Exception? Fatal { get; private set; }

    /// <summary>Records routed here that could not be written after a fatal error.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Queues a chunk (shared, read-only) for this sink; waits while the channel is full.</summary>
    public ValueTask PostAsync(IReadOnlyList<Record> chunk, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _routed, chunk.Count);
        return _channel.Writer.WriteAsync(chunk, cancellationToken);
    }

    /// <summary>No more chunks will come; the worker drains what is queued and ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>
    /// Runs until the channel is completed and drained. A fatal sink error is recorded, reported
    /// through <paramref name="onFatal"/>, and the rest of the channel is counted as abandoned
    /// (never silently: the engine reports the count) so upstream stages are not blocked.
    /// </summary>
    public async Task RunAsync(Action<SinkWorker> onFatal)
    {
        var reader = _channel.Reader;
        var batch = new List<Record>(_batchSize);
        var batchStarted = 0L;
        try
        {
            while (true)
            {
                while (reader.TryRead(out var chunk))
                {
                    foreach (var record in chunk)
                    {
                        if (batch.Count == 0)
                        {
                            batchStarted = _time.GetTimestamp();
                        }

                        batch.Add(record);
                        if (batch.Count == _batchSize)
                        {
                            await WriteAsync(batch);
                            batch = new List<Record>(_batchSize);
                        }
                    }
                }

                if (batch.Count == 0)
                {
                    if (!await reader.WaitToReadAsync())
                    {
                        break;
                    }

                    continue;
                }

                var wait = _batchTimeout - _time.GetElapsedTime(batchStarted);
                if (wait <= TimeSpan.Zero || !await WaitForMoreAsync(reader, wait))
                {
                    await WriteAsync(batch);
                    batch = new List<Record>(_batchSize);
                }
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }

            await _runtime.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is SinkFailedException or RescueUnavailableException)
        {
            Fatal = ex;
            onFatal(this);
            await foreach (var _ in reader.ReadAllAsync())
            {
                // Counted below: routed but never written.
            }

            // Exact by the runtime's invariant (SPEC §8.5): whatever was routed here and is neither
            // delivered, nor in a rescue file, nor in the error group — the failed batch's unstored part,
            // the rest of the chunk it came from, and everything queued after it.
            var stats = _runtime.Stats;
            Interlocked.Exchange(ref _abandoned, Interlocked.Read(ref _routed) - stats.Delivered - stats.Diverted - stats.ToError);
            _log.Error("sink {Sink}: {Error}; {Count} records routed to it were not stored", Sink.Name, ex.Message, Abandoned);
        }
    }

    public IEnumerable<StatRow> Snapshot()
    {
        var stats = _runtime.Stats;
        var routed = Interlocked.Read(ref _routed);
        yield return new StatRow("sink", Sink.Name, Sink.OutputPath ?? Sink.Type, routed, stats.Delivered);
        if (stats.Diverted > 0)
        {
            yield return new StatRow("rescue", Sink.Name, Sink.Group, routed, stats.Diverted);
        }
    }

    private async ValueTask WriteAsync(List<Record> batch) => await _runtime.WriteAsync(batch, CancellationToken.None);

    /// <summary>Waits up to <paramref name="wait"/> for more input; false when the wait timed out.</summary>
    private async ValueTask<bool> WaitForMoreAsync(ChannelReader<IReadOnlyList<Record>> reader, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        try
        {
            // A completed channel also ends the wait; the outer loop then finds nothing and writes.
            return await reader.WaitToReadAsync(timeout.Token) && reader.TryPeek(out _);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
