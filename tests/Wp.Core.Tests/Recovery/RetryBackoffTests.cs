using Microsoft.Extensions.Time.Testing;
using Wp.Core.Recovery;

namespace Wp.Core.Tests.Recovery;

public sealed class RetryBackoffTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 4, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Doubles_from_the_initial_wait_up_to_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _clock);

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Fail("s").TotalMilliseconds);

        delays.Should().Equal(250, 500, 1000, 2000, 2000, 2000);
    }

    [Fact]
    public void A_key_waits_until_its_due_time_and_others_do_not()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _clock);

        backoff.Fail("s");

        backoff.IsWaiting("s").Should().BeTrue();
        backoff.IsWaiting("other").Should().BeFalse();
        backoff.NextDue().Should().Be(TimeSpan.FromMilliseconds(250));
        _clock.Advance(TimeSpan.FromMilliseconds(249));
        backoff.IsWaiting("s").Should().BeTrue();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        backoff.IsWaiting("s").Should().BeFalse();
        backoff.NextDue().Should().BeNull();
    }

    [Fact]
    public void A_target_that_says_when_it_is_back_waits_exactly_that()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _clock, jitter: 0.2);

        backoff.Fail("s", retryAfter: TimeSpan.FromMilliseconds(1700)).Should().Be(TimeSpan.FromMilliseconds(1700));

        backoff.NextDue().Should().Be(TimeSpan.FromMilliseconds(1700));
    }

    [Fact]
    public void A_success_resets_the_wait()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _clock);
        backoff.Fail("s");
        backoff.Fail("s");

        backoff.Succeed("s");

        backoff.IsWaiting("s").Should().BeFalse();
        backoff.Fail("s").Should().Be(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Jitter_spreads_each_wait_around_its_nominal_value_which_still_doubles()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(1000), TimeSpan.FromSeconds(8), _clock, jitter: 0.2, new Random(42));

        var waits = Enumerable.Range(0, 5).Select(_ => backoff.Fail("s").TotalMilliseconds).ToList();

        var nominal = new double[] { 1000, 2000, 4000, 8000, 8000 };
        for (var i = 0; i < waits.Count; i++)
        {
            waits[i].Should().BeInRange(nominal[i] * 0.8, nominal[i] * 1.2);
        }

        waits.Should().NotEqual(nominal.ToList(), "the waits are spread");
    }

    [Fact]
    public void The_due_time_follows_the_spread_wait()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(1000), TimeSpan.FromSeconds(8), _clock, jitter: 0.2, new Random(7));

        var wait = backoff.Fail("s");

        backoff.NextDue().Should().Be(wait);
    }
}
