namespace Wp.Core.Recovery;

/// <summary>
/// Exponential backoff per key (a sink name, or a file) on an injected clock (SPEC §9.6): each
/// consecutive failure doubles the wait from <see cref="Initial"/> up to <see cref="Max"/>; a success
/// resets it. Not thread-safe: the replay loop is its only user.
/// </summary>
internal sealed class RetryBackoff
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Due)> _waiting = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">Not 0 &lt; initial &lt;= max.</exception>
    public RetryBackoff(TimeSpan initial, TimeSpan max, TimeProvider time)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException("backoff must satisfy 0 < initial <= max");
        }

        Initial = initial;
        Max = max;
        _time = time;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    /// <summary>Records a failure of <paramref name="key"/>; returns how long it now waits.</summary>
    public TimeSpan Fail(string key)
    {
        var delay = _waiting.TryGetValue(key, out var previous)
            ? (previous.Delay * 2 > Max ? Max : previous.Delay * 2)
            : Initial;
        _waiting[key] = (delay, _time.GetUtcNow() + delay);
        return delay;
    }

    /// <summary>Forgets the failures of <paramref name="key"/>.</summary>
    public void Succeed(string key) => _waiting.Remove(key);

    /// <summary>True while <paramref name="key"/> must still wait after its last failure.</summary>
    public bool IsWaiting(string key) => _waiting.TryGetValue(key, out var entry) && entry.Due > _time.GetUtcNow();

    /// <summary>Time until the earliest waiting key may be retried; null when none waits.</summary>
    public TimeSpan? NextDue()
    {
        var now = _time.GetUtcNow();
        TimeSpan? next = null;
        foreach (var (_, due) in _waiting.Values)
        {
            var wait = due - now;
            if (wait > TimeSpan.Zero && (next is null || wait < next))
            {
                next = wait;
            }
        }

        return next;
    }
}
