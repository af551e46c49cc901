using Microsoft.Extensions.Time.Testing;
using Wp.Core.Timing;

namespace Wp.Core.Tests.Timing;

public sealed class SpeedLimiterTests
{
    [Fact]
    public void An_unlimited_limiter_grants_everything_at_once()
    {
        var limiter = new SpeedLimiter(0, new FakeTimeProvider());

        limiter.Grant(5000).Should().Be(5000);
        limiter.DelayUntilNext().Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_limiter_admits_items_as_time_passes_at_the_configured_rate()
    {
        var clock = new FakeTimeProvider();
        var limiter = new SpeedLimiter(100, clock);

        limiter.Grant(1000).Should().Be(1, "only the first item may go at time zero");
        limiter.Grant(1000).Should().Be(0);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        limiter.Grant(1000).Should().Be(50);
        clock.Advance(TimeSpan.FromSeconds(10));
        limiter.Grant(100).Should().Be(100, "a grant never exceeds what was asked");
        limiter.Grant(10_000).Should().Be(900, "1 + 10.5 s x 100/s = 1051 in all, minus the 151 already granted");
    }

    [Fact]
    public void The_delay_until_next_is_the_time_the_schedule_allows_one_more_item()
    {
        var clock = new FakeTimeProvider();
        var limiter = new SpeedLimiter(10, clock);
        limiter.Grant(1);

        limiter.DelayUntilNext().Should().Be(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(40));
        limiter.DelayUntilNext().Should().Be(TimeSpan.FromMilliseconds(60));
    }

    [Fact]
    public async Task Acquire_waits_on_the_injected_clock_rather_than_the_wall_clock()
    {
        var clock = new FakeTimeProvider();
        var limiter = new SpeedLimiter(10, clock);
        (await limiter.AcquireAsync(10, CancellationToken.None)).Should().Be(1);

        var pending = limiter.AcquireAsync(10, CancellationToken.None).AsTask();
        pending.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(100));

        (await pending).Should().Be(1);
    }
}
