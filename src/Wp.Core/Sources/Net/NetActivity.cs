namespace Wp.Core.Sources.Net;

/// <summary>
/// When a network source last did something, for <c>idle_exit_sec</c> in batch mode: bytes
/// received, or a reader held back by the pipeline (a source waiting on back-pressure is busy, not idle).
/// </summary>
internal sealed class NetActivity(TimeProvider time)
{
    private long _last = time.GetTimestamp();
    private int _waiting;

    public void Touch() => Interlocked.Exchange(ref _last, time.GetTimestamp());

    public void BeginWait() => Interlocked.Increment(ref _waiting);

    public void EndWait()
    {
        Interlocked.Decrement(ref _waiting);
        Touch();
    }

    /// <summary>True when nothing arrived for <paramref name="idle"/> and no reader is waiting on the pipeline.</summary>
    public bool IsIdleFor(TimeSpan idle) =>
        Volatile.Read(ref _waiting) == 0 && time.GetElapsedTime(Interlocked.Read(ref _last)) >= idle;
}
