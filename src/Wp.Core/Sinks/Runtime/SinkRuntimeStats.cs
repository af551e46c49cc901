namespace Wp.Core.Sinks.Runtime;

/// <summary>
/// Record counters of one sink runtime. Written by the sink's task, read by the stat printer on
/// another thread: every counter is updated and read atomically.
/// Invariant (SPEC §8.5): <c>Delivered + Diverted + ToError + NotStored</c> = records routed to the sink,
/// with <c>NotStored</c> non-zero only when the run stops with an error saying so.
/// </summary>
internal sealed class SinkRuntimeStats
{
    private long _delivered;
    private long _diverted;
    private long _toError;
    private long _notStored;
    private long _failures;

    /// <summary>Records written to the primary backend.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Records written to rescue files.</summary>
    public long Diverted => Interlocked.Read(ref _diverted);

    /// <summary>Records forwarded to the error group (<c>tolerant</c>).</summary>
    public long ToError => Interlocked.Read(ref _toError);

    /// <summary>Records neither delivered nor stored because rescue storage failed (the run then stops).</summary>
    public long NotStored => Interlocked.Read(ref _notStored);

    /// <summary>Failed primary writes and flushes.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Every record handed to the runtime.</summary>
    public long Routed => Delivered + Diverted + ToError + NotStored;

    internal void AddDelivered(long n) => Interlocked.Add(ref _delivered, n);

    internal void AddDiverted(long n) => Interlocked.Add(ref _diverted, n);

    internal void AddToError(long n) => Interlocked.Add(ref _toError, n);

    internal void AddNotStored(long n) => Interlocked.Add(ref _notStored, n);

    internal void AddFailure() => Interlocked.Increment(ref _failures);
}
