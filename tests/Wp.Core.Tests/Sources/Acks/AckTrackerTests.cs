using Wp.Core.Sources.Acks;

namespace Wp.Core.Tests.Sources.Acks;

public sealed class AckTrackerTests
{
    [Fact]
    public void The_watermark_stays_behind_the_first_unit_not_yet_complete()
    {
        var tracker = new AckTracker<long>();
        var first = tracker.Issue(100);
        var second = tracker.Issue(200);
        var third = tracker.Issue(300);

        second.Release();
        third.Release();
        tracker.TryGetWatermark(out _).Should().BeFalse("unit 1 is still in flight");
        tracker.Outstanding.Should().Be(3);

        first.Release();
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(300, "units 2 and 3 were already complete");
        tracker.Outstanding.Should().Be(0);
    }

    [Fact]
    public void A_unit_completes_only_when_every_hold_is_released()
    {
        var tracker = new AckTracker<string>();
        var ticket = tracker.Issue("a");
        ticket.Hold(); // sink 1
        ticket.Hold(); // sink 2
        ticket.Release(); // the issuer hands over

        ticket.Release();
        ticket.IsComplete.Should().BeFalse();
        tracker.TryGetWatermark(out _).Should().BeFalse();

        ticket.Release();
        ticket.IsComplete.Should().BeTrue();
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be("a");
    }

    [Fact]
    public void Holding_a_complete_ticket_or_releasing_too_often_is_a_bug_that_throws()
    {
        var ticket = new AckTracker<int>().Issue(1);
        ticket.Release();

        FluentActions.Invoking(ticket.Hold).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(ticket.Release).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void A_relay_keeps_its_upstream_units_open_until_it_completes()
    {
        var tracker = new AckTracker<int>();
        var a = tracker.Issue(1);
        var b = tracker.Issue(2);
        var relay = AckTicket.Relay([a, b])!;
        a.Release();
        b.Release();
        tracker.TryGetWatermark(out _).Should().BeFalse("the relay holds both");

        relay.Release();
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(2);
        AckTicket.Relay([]).Should().BeNull();
    }

    [Fact]
    public void A_callback_ticket_calls_back_once_on_completion()
    {
        var calls = 0;
        var ticket = AckTicket.WhenComplete(() => calls++);
        ticket.Hold();
        ticket.Release();
        calls.Should().Be(0);
        ticket.Release();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Releases_from_many_threads_in_any_order_end_with_the_last_mark()
    {
        var tracker = new AckTracker<int>();
        var tickets = Enumerable.Range(1, 2000).Select(i =>
        {
            var t = tracker.Issue(i);
            t.Hold();
            t.Hold();
            t.Release();
            return t;
        }).ToList();
        var seed = Environment.GetEnvironmentVariable("WP_TEST_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 11;
        var order = tickets.Concat(tickets).ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));

        await Task.WhenAll(order.Chunk(500).Select(part => Task.Run(() =>
        {
            foreach (var t in part)
            {
                t.Release();
            }
        })));

        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(2000, $"seed {seed}");
        tracker.Advances.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Sink_acks_release_only_finished_chunks_and_list_touched_units_once()
    {
        var tracker = new AckTracker<int>();
        var a = tracker.Issue(1);
        var b = tracker.Issue(2);
        a.Hold();
        b.Hold();
        a.Release();
        b.Release();
        var acks = new SinkAcks();

        acks.Touch(a);
        acks.Touch(a);
        acks.Finish(a);
        acks.Touch(b); // b's chunk continues in the next batch
        acks.Touched.Should().Equal(a, b);
        acks.HasFinished.Should().BeTrue();

        acks.ReleaseFinished();
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(1);
        acks.Touched.Should().BeEmpty();

        acks.Touch(b);
        acks.Finish(b);
        acks.ReleaseFinished();
        tracker.TryGetWatermark(out mark).Should().BeTrue();
        mark.Should().Be(2);
    }
}
