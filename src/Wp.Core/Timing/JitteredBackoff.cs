namespace Wp.Core.Timing;

/// <summary>
/// One retry schedule on an injected clock: the nominal wait starts at <see cref="Initial"/> and doubles
/// with each consecutive failure up to <see cref="Max"/>; each actual wait is spread by ±<see cref="Jitter"/>
/// around it (whole milliseconds). <see cref="Reset"/> (a success) starts over. The one backoff of wp:
/// the sink runtime's probe loop, wprescue's replay retries (per sink and per file) and the NATS source's
/// reconnects all use it. Not thread-safe: each loop owns its own.
/// </summary>
/// <remarks>
/// Without the spread, doubling waits lock onto a periodic outage whose period divides them (e.g. a
/// target down for part of every second): 1 s, 2 s, 4 s … after a failure all land on the same phase,
/// and the retry fails forever.
/// </remarks>
internal sealed class JitteredBackoff
{
    /// <summary>The spread used unless a caller asks for another: ±20 %.</summary>
    public const double DefaultJitter = 0.2;

    private readonly TimeProvider _time;
    private readonly Random _random;
    private TimeSpan _nominal;

    /// <param name="initial">Nominal first wait.</param>
    /// <param name="max">Cap of the nominal wait.</param>
    /// <param name="time">Clock of the due times.</param>
    /// <param name="jitter">Spread of each wait as a fraction of it, 0 to 0.5 (0 = exact waits).</param>
    /// <param name="random">Source of the spread (its <see cref="Random.NextDouble"/>); default <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentException">Not 0 &lt; initial &lt;= max, or jitter out of range.</exception>
    public JitteredBackoff(TimeSpan initial, TimeSpan max, TimeProvider time, double jitter = DefaultJitter, Random? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException("backoff must satisfy 0 < initial <= max");
        }

        if (jitter is < 0 or > 0.5 || double.IsNaN(jitter))
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

    /// <summary>Consecutive failures since the start or the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>When the wait of the last failure ends; meaningless while <see cref="Failures"/> is 0.</summary>
    public DateTimeOffset Due { get; private set; }

    /// <summary>True while the wait of the last failure has not ended.</summary>
    public bool IsWaiting => Failures > 0 && Due > _time.GetUtcNow();

    /// <summary>Time left of the current wait; zero when none.</summary>
    public TimeSpan Remaining => IsWaiting ? Due - _time.GetUtcNow() : TimeSpan.Zero;

    /// <summary>Records one more failure; returns how long to wait before the next try (and sets <see cref="Due"/>).</summary>
    /// <param name="retryAfter">
    /// When the failed target said it will be back (<see cref="Sinks.Runtime.SinkUnavailableException.RetryAfter"/>):
    /// the wait is exactly that (at least 1 ms, so a target that keeps saying "now" cannot make a loop spin),
    /// since the target knows better than the doubling guess. The failure still counts.
    /// </param>
    public TimeSpan Fail(TimeSpan? retryAfter = null)
    {
        _nominal = Failures == 0 ? Initial : (_nominal * 2 > Max ? Max : _nominal * 2);
        Failures++;
        var wait = retryAfter ?? (Jitter == 0 ? _nominal : _nominal * (1 + (Jitter * ((2 * _random.NextDouble()) - 1))));
        wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(wait.TotalMilliseconds)));
        Due = _time.GetUtcNow() + wait;
        return wait;
    }

    /// <summary>Forgets the failures: the next wait is <see cref="Initial"/> again.</summary>
    public void Reset()
    {
        Failures = 0;
        _nominal = TimeSpan.Zero;
    }
}
