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
    public void A_success_resets_the_wait()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _clock);
        backoff.Fail("s");
        backoff.Fail("s");

        backoff.Succeed("s");

        backoff.IsWaiting("s").Should().BeFalse();
        backoff.Fail("s").Should().Be(TimeSpan.FromMilliseconds(250));
    }
}
