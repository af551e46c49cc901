namespace Wp.Core.Recovery;

/// <summary>
/// Exponential backoff per key (a sink name, or a file) on an injected clock (SPEC §9.6): each
/// consecutive failure doubles the wait from <see cref="Initial"/> up to <see cref="Max"/>; a success
/// resets it. Not thread-safe: the replay loop is its only user.
/// </summary>
/// <remarks>
/// Each wait is spread by ±<see cref="Jitter"/> around its nominal value. Without it, doubling waits
/// lock onto a periodic outage whose period divides them (e.g. a target down for part of every
/// second): 1 s, 2 s, 4 s … after a failure all land on the same phase, and the retry fails forever.
/// </remarks>
internal sealed class RetryBackoff
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Due)> _waiting = new(StringComparer.Ordinal);

    /// <param name="initial">Nominal first wait.</param>
    /// <param name="max">Cap of the nominal wait.</param>
    /// <param name="time">Clock.</param>
    /// <param name="jitter">Spread of each wait as a fraction of it, 0 to 0.5 (0 = exact waits, for tests).</param>
    /// <param name="random">Source of the spread; default <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentException">Not 0 &lt; initial &lt;= max, or jitter out of range.</exception>
    public RetryBackoff(TimeSpan initial, TimeSpan max, TimeProvider time, double jitter = 0, Random? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException("backoff must satisfy 0 < initial <= max");
        }

        if (jitter is < 0 or > 0.5)
        {
            throw new ArgumentException("backoff jitter must be between 0 and 0.5", nameof(jitter));
        }

        Initial = initial;
        Max = max;
        Jitter = jitter;
        _time = time;
        _random = random ?? Random.Shared;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public double Jitter { get; }

    /// <summary>Records a failure of <paramref name="key"/>; returns how long it now waits.</summary>
    public TimeSpan Fail(string key)
    {
        var nominal = _waiting.TryGetValue(key, out var previous)
            ? (previous.Delay * 2 > Max ? Max : previous.Delay * 2)
            : Initial;
        var wait = Jitter == 0 ? nominal : nominal * (1 + (Jitter * ((2 * _random.NextDouble()) - 1)));
        wait = TimeSpan.FromMilliseconds(Math.Round(wait.TotalMilliseconds));
        _waiting[key] = (nominal, _time.GetUtcNow() + wait);
        return wait;
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
