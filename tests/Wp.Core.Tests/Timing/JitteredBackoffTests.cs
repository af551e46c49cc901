using Microsoft.Extensions.Time.Testing;
using Wp.Core.Tests.Support;
using Wp.Core.Timing;

namespace Wp.Core.Tests.Timing;

public sealed class JitteredBackoffTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Without_jitter_the_wait_doubles_from_the_initial_one_up_to_the_cap()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), _clock, jitter: 0);

        var waits = Enumerable.Range(0, 9).Select(_ => backoff.Fail().TotalMilliseconds);

        waits.Should().Equal(100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000);
        backoff.Failures.Should().Be(9);
    }

    [Fact]
    public void Each_wait_is_spread_by_the_random_draw_around_a_nominal_wait_that_still_doubles()
    {
        // NextDouble 0 → -20 %, 0.25 → -10 %, 0.5 → exact, 0.75 → +10 %, 0.9999… → almost +20 %.
        var backoff = new JitteredBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), _clock, jitter: 0.2, new ScriptedRandom(0, 0.75, 0.5, 0.25, 0.99999));

        var waits = Enumerable.Range(0, 5).Select(_ => backoff.Fail().TotalMilliseconds);

        waits.Should().Equal(800, 2200, 4000, 7200, 9600);
    }

    [Fact]
    public void The_due_time_is_the_clock_plus_the_spread_wait()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), _clock, jitter: 0.2, new ScriptedRandom(0.75));
        backoff.IsWaiting.Should().BeFalse();

        var wait = backoff.Fail();

        wait.Should().Be(TimeSpan.FromMilliseconds(1100));
        backoff.Due.Should().Be(_clock.GetUtcNow() + wait);
        backoff.Remaining.Should().Be(wait);
        _clock.Advance(TimeSpan.FromMilliseconds(1099));
        backoff.IsWaiting.Should().BeTrue();
        backoff.Remaining.Should().Be(TimeSpan.FromMilliseconds(1));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        backoff.IsWaiting.Should().BeFalse();
        backoff.Remaining.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_retry_after_hint_is_the_wait_exactly_and_the_failure_still_doubles_the_next_guess()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), _clock, jitter: 0.2, new ScriptedRandom(0.5));

        var hinted = backoff.Fail(retryAfter: TimeSpan.FromMilliseconds(1234));

        hinted.Should().Be(TimeSpan.FromMilliseconds(1234), "the target knows when it is back; no spread");
        backoff.Due.Should().Be(_clock.GetUtcNow() + hinted);
        backoff.Failures.Should().Be(1);
        backoff.Fail().Should().Be(TimeSpan.FromMilliseconds(200), "without a hint the doubling goes on from where it was");
        backoff.Fail(retryAfter: TimeSpan.Zero).Should().Be(TimeSpan.FromMilliseconds(1), "never a zero wait: a retry loop must not spin");
    }

    [Fact]
    public void Reset_starts_the_schedule_over()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), _clock, jitter: 0);
        backoff.Fail();
        backoff.Fail();
        backoff.Fail();

        backoff.Reset();

        backoff.Failures.Should().Be(0);
        backoff.IsWaiting.Should().BeFalse();
        backoff.Fail().Should().Be(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_same_draws_give_the_same_schedule()
    {
        var draws = new[] { 0.1, 0.9, 0.3, 0.7, 0.5, 0.2 };
        var a = new JitteredBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4), _clock, 0.3, new ScriptedRandom(draws));
        var b = new JitteredBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4), _clock, 0.3, new ScriptedRandom(draws));

        Enumerable.Range(0, 6).Select(_ => a.Fail()).Should().Equal(Enumerable.Range(0, 6).Select(_ => b.Fail()));
    }

    [Theory]
    [InlineData(0, 1000, 0.2)]
    [InlineData(-5, 1000, 0.2)]
    [InlineData(2000, 1000, 0.2)]
    [InlineData(100, 1000, -0.1)]
    [InlineData(100, 1000, 0.6)]
    [InlineData(100, 1000, double.NaN)]
    public void Bad_arguments_are_refused(int initialMs, int maxMs, double jitter)
    {
        var act = () => new JitteredBackoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(maxMs), _clock, jitter);

        act.Should().Throw<ArgumentException>();
    }
}
