using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Records;

public sealed class RecordLeaseTests
{
    [Fact]
    public void Records_are_reused_only_after_the_last_hold_is_released()
    {
        var pool = new RecordPool();
        var lease = pool.Take();
        var first = Filled(lease, "a");
        lease.Hold(); // a sink queued a chunk

        lease.Release(); // the parse worker is done
        pool.IdleCount.Should().Be(0, "the sink still holds the records");
        first[0].Value.Text.ToString().Should().Be("a");

        lease.Release(); // the sink stored them
        pool.IdleCount.Should().Be(1);
        var again = pool.Take();
        again.Should().BeSameAs(lease);
        again.Rent(4).Should().BeSameAs(first);
    }

    [Fact]
    public void Text_arrays_are_handed_out_again_only_in_a_later_use_of_the_lease()
    {
        var pool = new RecordPool();
        var lease = pool.Take();
        var generation = lease.Generation;
        var a = lease.RentChars(100);
        var b = lease.RentChars(100);
        b.Should().NotBeSameAs(a, "within one use every array is new");
        lease.Release();

        var again = pool.Take();
        again.Should().BeSameAs(lease);
        again.Generation.Should().NotBe(generation, "the decoder tells a new use of the same lease by it");
        again.RentChars(50).Should().BeSameAs(a);
        again.RentChars(200).Should().NotBeSameAs(b, "too small for what is asked: replaced");
        again.RentChars(10).Length.Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public void A_returned_lease_keeps_no_field_alive_and_hands_out_empty_records()
    {
        var pool = new RecordPool();
        var lease = pool.Take();
        var record = Filled(lease, "line text");
        lease.Release();

        record.Count.Should().Be(0, "an idle lease must not keep the lines its records sliced alive");
        var reused = pool.Take().Rent(4);
        reused.Should().BeSameAs(record);
        reused.Count.Should().Be(0);
    }

    [Fact]
    public void A_lease_rents_new_records_once_its_reused_ones_run_out()
    {
        var pool = new RecordPool();
        var lease = pool.Take();
        var old = Filled(lease, "x");
        lease.Release();

        lease = pool.Take();
        var reused = lease.Rent(4);
        var fresh = lease.Rent(4);
        reused.Should().BeSameAs(old);
        fresh.Should().NotBeSameAs(old);
        lease.Rented.Should().Be(2);
    }

    [Fact]
    public void Releasing_more_often_than_held_is_a_bug_and_throws()
    {
        var lease = new RecordPool().Take();
        lease.Release();

        var again = lease.Release;
        again.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void The_pool_keeps_every_lease_and_makes_one_only_when_none_is_idle()
    {
        var pool = new RecordPool();
        var leases = Enumerable.Range(0, 300).Select(_ => pool.Take()).ToList();
        foreach (var lease in leases)
        {
            lease.Release();
        }

        pool.IdleCount.Should().Be(300);
        var again = Enumerable.Range(0, 300).Select(_ => pool.Take()).ToList();
        again.Should().OnlyContain(lease => leases.Contains(lease)).And.OnlyHaveUniqueItems();
        pool.IdleCount.Should().Be(0);
    }

    private static Record Filled(RecordLease lease, string text)
    {
        var record = lease.Rent(4);
        record.Add("f", Value.String(text));
        return record;
    }
}
