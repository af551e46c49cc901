namespace Wp.Core.Timing;

/// <summary>
/// Caps a flow at N items per second (SPEC §3 <c>speed_limit</c>). The schedule is computed from
/// the start time, so short bursts even out and the long-run rate is exact. Thread-safe: several
/// sources may share one limiter, which then caps their sum.
/// </summary>
internal sealed class SpeedLimiter
{
    private readonly long _perSecond;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _startTimestamp;
    private long _admitted;

    /// <param name="perSecond">Items per second; 0 or less means unlimited.</param>
    public SpeedLimiter(long perSecond, TimeProvider time)
    {
        _perSecond = perSecond;
        _time = time;
    }

    public bool IsUnlimited => _perSecond <= 0;

    /// <summary>
    /// How many of <paramref name="wanted"/> items may go now without outrunning the cap
    /// (at least 1 once the schedule allows anything, so a caller never spins).
    /// </summary>
    public int Grant(int wanted)
    {
        if (IsUnlimited)
        {
            return wanted;
        }

        lock (_lock)
        {
            return GrantLocked(wanted);
        }
    }

    private int GrantLocked(int wanted)
    {
        if (_admitted == 0)
        {
            _startTimestamp = _time.GetTimestamp();
        }

        // Allowance grows continuously with elapsed time; one extra item lets the first go at once.
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        var allowed = (long)(elapsed.TotalSeconds * _perSecond) + 1 - _admitted;
        var granted = (int)Math.Clamp(allowed, 0, wanted);
        _admitted += granted;
        return granted;
    }

    /// <summary>How long to wait before <see cref="Grant"/> can admit another item.</summary>
    public TimeSpan DelayUntilNext()
    {
        if (IsUnlimited)
        {
            return TimeSpan.Zero;
        }

        lock (_lock)
        {
            return _admitted == 0 ? TimeSpan.Zero : DelayLocked();
        }
    }

    private TimeSpan DelayLocked()
    {
        var due = TimeSpan.FromSeconds((double)_admitted / _perSecond);
        var wait = due - _time.GetElapsedTime(_startTimestamp);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Waits until at least one item may pass, then returns how many of <paramref name="wanted"/> may.</summary>
    public async ValueTask<int> AcquireAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            var granted = Grant(wanted);
            if (granted > 0)
            {
                return granted;
            }

            await Task.Delay(Max(DelayUntilNext(), TimeSpan.FromMilliseconds(1)), _time, cancellationToken);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
