using Wp.Core.Timing;

namespace Wp.Core.Recovery;

/// <summary>
/// wprescue's retry waits (docs/restarts.md): one <see cref="JitteredBackoff"/> per key (a sink name, or a
/// file), so a sink that is down and a file that cannot be checkpointed back off independently. A
/// success forgets the key. Not thread-safe: the replay loop is its only user.
/// </summary>
internal sealed class RetryBackoff
{
    private readonly TimeProvider _time;
    private readonly Random? _random;
    private readonly Dictionary<string, JitteredBackoff> _waiting = new(StringComparer.Ordinal);

    /// <param name="initial">Nominal first wait.</param>
    /// <param name="max">Cap of the nominal wait.</param>
    /// <param name="time">Clock.</param>
    /// <param name="jitter">Spread of each wait as a fraction of it, 0 to 0.5 (0 = exact waits, for tests).</param>
    /// <param name="random">Source of the spread; default <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentException">Not 0 &lt; initial &lt;= max, or jitter out of range.</exception>
    public RetryBackoff(TimeSpan initial, TimeSpan max, TimeProvider time, double jitter = 0, Random? random = null)
    {
        // Validates the arguments once, here, rather than at the first failure.
        var schedule = new JitteredBackoff(initial, max, time, jitter, random);
        Initial = schedule.Initial;
        Max = schedule.Max;
        Jitter = schedule.Jitter;
        _time = time;
        _random = random;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public double Jitter { get; }

    /// <summary>Records a failure of <paramref name="key"/>; returns how long it now waits.</summary>
    /// <param name="key">A sink name or a file.</param>
    /// <param name="retryAfter">When the target said it will be back, if it did: the wait is exactly that (<see cref="JitteredBackoff.Fail"/>).</param>
    public TimeSpan Fail(string key, TimeSpan? retryAfter = null)
    {
        if (!_waiting.TryGetValue(key, out var backoff))
        {
            backoff = new JitteredBackoff(Initial, Max, _time, Jitter, _random);
            _waiting[key] = backoff;
        }

        return backoff.Fail(retryAfter);
    }

    /// <summary>Forgets the failures of <paramref name="key"/>.</summary>
    public void Succeed(string key) => _waiting.Remove(key);

    /// <summary>True while <paramref name="key"/> must still wait after its last failure.</summary>
    public bool IsWaiting(string key) => _waiting.TryGetValue(key, out var backoff) && backoff.IsWaiting;

    /// <summary>Time until the earliest waiting key may be retried; null when none waits.</summary>
    public TimeSpan? NextDue()
    {
        TimeSpan? next = null;
        foreach (var backoff in _waiting.Values)
        {
            if (backoff.IsWaiting && (next is null || backoff.Remaining < next))
            {
                next = backoff.Remaining;
            }
        }

        return next;
    }
}
