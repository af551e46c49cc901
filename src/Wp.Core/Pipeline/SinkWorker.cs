using System.Threading.Channels;
using Serilog;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Sources;
using Wp.Core.Sources.Acks;
using Wp.Core.Stats;

namespace Wp.Core.Pipeline;

/// <summary>
/// The one writer of a sink: takes record chunks from its bounded channel, cuts them into batches
/// of <c>batch_size</c> (or whatever arrived within <c>batch_timeout_ms</c>) and hands each batch to
/// the sink's <see cref="SinkRuntime"/>, which owns failure handling (README "Sinks", "wprescue").
/// A backend that streams a batch (<see cref="Sinks.ISinkBackend.StreamsBatches"/>) gets each chunk
/// as it arrives instead, and a flush per batch.
/// </summary>
/// <remarks>
/// Acknowledgement (docs/restarts.md): each chunk may carry the <see cref="AckTicket"/> of the input it
/// came from, held once for this sink by <see cref="PostAsync(IReadOnlyList{Record}, AckTicket?, CancellationToken)"/>.
/// After a batch holding a chunk's last record is written, the worker flushes the sink and then
/// releases that hold — so a source's position never passes records this sink has not stored
/// (delivered and flushed, or diverted to a rescue file, or forwarded to the error group).
/// The chunk's <see cref="RecordLease"/> is let go at the same point, so its records are reused
/// only once this sink is done with them.
/// </remarks>
internal sealed class SinkWorker : IStatSource
{
    // A chunk is up to one line batch (LineBatch.DefaultLines records). Four queued chunks keep the
    // sink busy while a parse worker fills the next one; more only holds records in memory longer,
    // which raised peak RSS (64 chunks of 1024: 213 MiB, 4: 147 MiB on the 10^6-line bench) and made
    // the GC promote them.
    // A sink with bigger batches (a database bulk load) queues one batch's worth, so the parse
    // workers fill the next batch while this one is written instead of waiting for it.
    // A backend that streams a batch takes each chunk as it comes, so its queue only has to cover
    // the commit at the end of a batch, while the server finishes the statement: 65536 records let
    // the parse workers go on through it (ClickHouse, batch_size 65536, 10^6 lines: 2.15 s wall and
    // 320-380 MiB peak RSS; 16384 records 2.46 s and 190-270 MiB; a whole batch held, as before,
    // 2.90 s and 550-690 MiB).
    private const int MinChannelChunks = 4;
    private const int ChunkRecords = LineBatch.DefaultLines;
    private const int MaxStreamingChunks = 65536 / ChunkRecords;

    private readonly Channel<SinkChunk> _channel;
    private readonly SinkAcks _acks = new();
    private readonly SinkRuntime _runtime;
    private readonly int _batchSize;
    private readonly TimeSpan _batchTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _routed;
    private long _abandoned;
    private readonly bool _streams; // the backend takes a batch as several writes (ISinkBackend.StreamsBatches)
    private List<Record> _batch;
    private int _pending;       // records in the current batch
    private long _batchStarted; // when its first record came

    public SinkWorker(SinkOptions sink, SinkGroupOptions group, SinkRuntime runtime, TimeProvider time, ILogger log)
    {
        Sink = sink;
        IsInfra = group.IsInfra;
        _runtime = runtime;
        _batchSize = Math.Max(1, group.BatchSize);
        _batchTimeout = TimeSpan.FromMilliseconds(Math.Max(1, group.BatchTimeoutMs));
        _streams = runtime.StreamsBatches;
        _batch = new List<Record>(_streams ? 0 : _batchSize);
        _time = time;
        _log = log;
        var batchChunks = (_batchSize + ChunkRecords - 1) / ChunkRecords;
        _channel = Channel.CreateBounded<SinkChunk>(new BoundedChannelOptions(_streams ? Math.Clamp(batchChunks, MinChannelChunks, MaxStreamingChunks) : Math.Max(MinChannelChunks, batchChunks))
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

    /// <summary>Tickets of the input units with records in the batch being written (the worker's thread only).</summary>
    public IReadOnlyList<AckTicket> CurrentBatchAcks => _acks.Touched;

    /// <summary>Queues a chunk (shared, read-only) for this sink; waits while the channel is full.</summary>
    public ValueTask PostAsync(IReadOnlyList<Record> chunk, CancellationToken cancellationToken) =>
        PostAsync(chunk, ack: null, lease: null, cancellationToken);

    /// <summary>
    /// Queues a chunk (shared, read-only) for this sink, taking a hold on <paramref name="ack"/>
    /// that the worker releases once the chunk is stored. Waits while the channel is full.
    /// </summary>
    public ValueTask PostAsync(IReadOnlyList<Record> chunk, AckTicket? ack, CancellationToken cancellationToken) =>
        PostAsync(chunk, ack, lease: null, cancellationToken);

    /// <summary>
    /// Queues a chunk (shared, read-only) for this sink, taking a hold on <paramref name="ack"/> and
    /// on the records' <paramref name="lease"/> that the worker releases once the chunk is stored.
    /// Waits while the channel is full.
    /// </summary>
    public async ValueTask PostAsync(IReadOnlyList<Record> chunk, AckTicket? ack, RecordLease? lease, CancellationToken cancellationToken)
    {
        ack?.Hold();
        lease?.Hold();
        Interlocked.Add(ref _routed, chunk.Count);
        try
        {
            await _channel.Writer.WriteAsync(new SinkChunk(chunk, ack, lease), cancellationToken);
        }
        catch
        {
            // Not queued: this sink never took the records (the caller sees the error).
            Interlocked.Add(ref _routed, -chunk.Count);
            ack?.Release();
            lease?.Release();
            throw;
        }
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
        try
        {
            await CutBatchesAsync(reader);
            await FlushAndAcknowledgeAsync();
        }
        catch (Exception ex) when (ex is SinkFailedException or RescueUnavailableException)
        {
            Fatal = ex;
            onFatal(this);
            await foreach (var _ in reader.ReadAllAsync())
            {
                // Holds are kept: the input of abandoned records must never be acknowledged. Counted below.
            }

            // Exact by the runtime's invariant (docs/restarts.md): whatever was routed here and is neither
            // delivered, nor in a rescue file, nor in the error group — the failed batch's unstored part,
            // the rest of the chunk it came from, and everything queued after it.
            var stats = _runtime.Stats;
            Interlocked.Exchange(ref _abandoned, Interlocked.Read(ref _routed) - stats.Delivered - stats.Diverted - stats.ToError);
            _log.Error("sink {Sink}: {Error}; {Count} records routed to it were not stored", Sink.Name, ex.Message, Abandoned);
        }
    }

    // Cuts the chunks into batches of batch_size, or of what arrived within batch_timeout of a
    // batch's first record.
    private async Task CutBatchesAsync(ChannelReader<SinkChunk> reader)
    {
        while (true)
        {
            while (reader.TryRead(out var chunk))
            {
                await (_streams ? StreamChunkAsync(chunk) : AddChunkAsync(chunk));
            }

            if (_pending == 0)
            {
                if (_acks.HasFinished)
                {
                    await FlushAndAcknowledgeAsync();
                }

                if (!await reader.WaitToReadAsync())
                {
                    break;
                }

                continue;
            }

            var wait = _batchTimeout - _time.GetElapsedTime(_batchStarted);
            if (wait <= TimeSpan.Zero || !await WaitForMoreAsync(reader, wait))
            {
                await EndBatchAsync();
            }
        }

        if (_pending > 0)
        {
            await EndBatchAsync();
        }
    }

    // Adds the chunk's records to the batch list; a full batch is written with one call.
    private async ValueTask AddChunkAsync(SinkChunk chunk)
    {
        var records = chunk.Records;
        for (var i = 0; i < records.Count; i++)
        {
            Count(1);
            _batch.Add(records[i]);
            _acks.Touch(chunk.Ack);
            if (i == records.Count - 1)
            {
                _acks.Finish(chunk.Ack, chunk.Lease);
            }

            if (_pending == _batchSize)
            {
                await EndBatchAsync();
            }
        }

        if (records.Count == 0)
        {
            _acks.Finish(chunk.Ack, chunk.Lease);
        }
    }

    // For a backend that streams a batch (one statement sent while it fills): the chunk is written
    // as it arrives, cut where a batch ends, and the flush after batch_size records commits them.
    // Nothing waits in a batch list, so the records held are those of the open statement.
    private async ValueTask StreamChunkAsync(SinkChunk chunk)
    {
        var records = chunk.Records;
        var offset = 0;
        do
        {
            var take = Math.Min(records.Count - offset, _batchSize - _pending);
            _acks.Touch(chunk.Ack);
            if (offset + take == records.Count)
            {
                _acks.Finish(chunk.Ack, chunk.Lease);
            }

            if (take > 0)
            {
                Count(take);
                await _runtime.WriteAsync(take == records.Count ? records : Slice(records, offset, take), CancellationToken.None);
                offset += take;
            }

            if (_pending == _batchSize)
            {
                await EndBatchAsync();
            }
        }
        while (offset < records.Count);
    }

    // Records join the batch; the first one starts its batch_timeout.
    private void Count(int records)
    {
        if (_pending == 0)
        {
            _batchStarted = _time.GetTimestamp();
        }

        _pending += records;
    }

    // The batch is complete: written (streamed: already written) and flushed, which lets go of the
    // input whose chunks ended in it. Flushing once per batch is what bounds the records the runtime
    // keeps for a failing flush to one batch; for unbuffered backends (files) it costs next to nothing.
    private async ValueTask EndBatchAsync()
    {
        if (!_streams)
        {
            await _runtime.WriteAsync(_batch, CancellationToken.None);
            _batch = new List<Record>(_batchSize); // the runtime keeps the written one until the flush
        }

        _pending = 0;
        await FlushAndAcknowledgeAsync();
    }

    private static List<Record> Slice(IReadOnlyList<Record> records, int offset, int count)
    {
        var slice = new List<Record>(count);
        for (var i = offset; i < offset + count; i++)
        {
            slice.Add(records[i]);
        }

        return slice;
    }

    /// <summary>Where this sink's records went so far (final table: nothing pending).</summary>
    public SinkLedgerRow Ledger()
    {
        var stats = _runtime.Stats;
        return new SinkLedgerRow(Sink.Name, Sink.Group, Interlocked.Read(ref _routed), stats.Delivered, stats.Diverted, stats.ToError, Fatal is null ? stats.NotStored : Abandoned); // Abandoned includes the runtime's NotStored
    }

    public IEnumerable<StatRow> Snapshot()
    {
        var stats = _runtime.Stats;
        var routed = Interlocked.Read(ref _routed);
        yield return new StatRow("sink", Sink.Name, Sink.Target, routed, stats.Delivered);
        if (stats.Diverted > 0)
        {
            yield return new StatRow("rescue", Sink.Name, Sink.Group, routed, stats.Diverted);
        }
    }

    /// <summary>
    /// Flushes the sink, then releases the finished chunks' holds. A failed flush is handled by the
    /// runtime (it diverts what the backend held); a fatal one throws and the holds stay.
    /// </summary>
    private async ValueTask FlushAndAcknowledgeAsync()
    {
        await _runtime.FlushAsync(CancellationToken.None);

        // Once a backend call was abandoned after its timeout, it may still be reading records of
        // any batch it was given: from then on this sink never lets its records' leases go.
        _acks.ReleaseFinished(keepLeases: _runtime.AbandonedCalls > 0);
    }

    /// <summary>Waits up to <paramref name="wait"/> for more input; false when the wait timed out.</summary>
    private async ValueTask<bool> WaitForMoreAsync(ChannelReader<SinkChunk> reader, TimeSpan wait)
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

/// <summary>Records for one sink, the ticket of the input they came from (null when untracked) and the records' lease (null: not pooled).</summary>
internal readonly record struct SinkChunk(IReadOnlyList<Record> Records, AckTicket? Ack, RecordLease? Lease = null);
