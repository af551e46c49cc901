using Wp.Core.Records;

namespace Wp.Core.Sinks.Blackhole;

/// <summary>
/// Discards every record and counts it (SPEC §7.1 <c>blackhole_sink</c>). Never fails; writes,
/// flushes and probes complete at once. Safe to use from several threads.
/// </summary>
internal sealed class BlackholeSinkBackend : ISinkBackend
{
    private long _recordsDiscarded;
    private long _batchesDiscarded;

    /// <summary>Records received and dropped so far.</summary>
    public long RecordsDiscarded => Interlocked.Read(ref _recordsDiscarded);

    /// <summary>Non-empty batches received so far.</summary>
    public long BatchesDiscarded => Interlocked.Read(ref _batchesDiscarded);

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count > 0)
        {
            Interlocked.Add(ref _recordsDiscarded, batch.Count);
            Interlocked.Increment(ref _batchesDiscarded);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
