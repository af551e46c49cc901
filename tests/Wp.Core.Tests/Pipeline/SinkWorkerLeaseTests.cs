using Serilog.Core;
using Wp.Core.Config;
using Wp.Core.Pipeline;
using Wp.Core.Records;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Pipeline;

/// <summary>A batch's records are reused only once every sink that took them has stored them.</summary>
public sealed class SinkWorkerLeaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_lease_returns_to_the_pool_once_every_sink_has_written_and_flushed_its_chunk()
    {
        using var dir = new TempDir();
        var pool = new RecordPool();
        var backendA = new FakeSinkBackend();
        var backendB = new FakeSinkBackend();
        var (a, _) = Worker(backendA, dir, "a");
        var (b, _) = Worker(backendB, dir, "b");
        var runA = a.RunAsync(_ => { });
        var runB = b.RunAsync(_ => { });

        // 6 records, batches of 4: each sink stores the chunk's last 2 only when completed (its
        // batch timeout never passes on this clock).
        var lease = pool.Take();
        var records = Records(lease, 6);
        await a.PostAsync(records, ack: null, lease, CancellationToken.None);
        await b.PostAsync(records, ack: null, lease, CancellationToken.None);
        lease.Release(); // the parse worker's hold

        a.Complete();
        await runA;
        pool.IdleCount.Should().Be(0, "sink b has not stored its chunk yet");
        records[0].Count.Should().Be(1);

        b.Complete();
        await runB;
        pool.IdleCount.Should().Be(1);
        backendA.Written.Should().HaveCount(6);
        backendB.Written.Should().HaveCount(6);
    }

    [Fact]
    public async Task Records_diverted_to_a_rescue_file_return_their_lease()
    {
        using var dir = new TempDir();
        var pool = new RecordPool();
        var (worker, _) = Worker(new FakeSinkBackend { Up = false }, dir, "s");
        var run = worker.RunAsync(_ => { });

        var lease = pool.Take();
        await worker.PostAsync(Records(lease, 4), ack: null, lease, CancellationToken.None);
        lease.Release();
        worker.Complete();
        await run;
        await worker.Runtime.DisposeAsync();

        worker.Runtime.Stats.Diverted.Should().Be(4);
        pool.IdleCount.Should().Be(1);
    }

    [Fact]
    public async Task A_sink_whose_backend_call_was_abandoned_after_the_timeout_never_returns_a_lease()
    {
        // The abandoned write may still be formatting the records: reusing them would corrupt what it writes.
        using var dir = new TempDir();
        var pool = new RecordPool();
        var hang = new TaskCompletionSource();
        var backend = new FakeSinkBackend { WriteBlocker = hang.Task };
        var (worker, clock) = Worker(backend, dir, "s");
        var run = worker.RunAsync(_ => { });

        var lease = pool.Take();
        var records = Records(lease, 4);
        await worker.PostAsync(records, ack: null, lease, CancellationToken.None);
        lease.Release();
        clock.Advance(await clock.NextTimerAsync()); // the write timeout
        worker.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        worker.Runtime.AbandonedCalls.Should().Be(1);
        worker.Runtime.Stats.Diverted.Should().Be(4);
        pool.IdleCount.Should().Be(0);
        records.Should().OnlyContain(r => r.Count == 1, "the hanging write may still read them");
        hang.SetResult();
        await worker.Runtime.DisposeAsync();
    }

    private static (SinkWorker Worker, TimerCountingTimeProvider Clock) Worker(FakeSinkBackend backend, TempDir dir, string name)
    {
        var group = new SinkGroupOptions { Name = "g", IsInfra = false, Sinks = [], SourceFile = "g.toml", BatchSize = 4, BatchTimeoutMs = 300, OnError = OnError.FixRetry };
        var sink = new SinkOptions { Name = name, Group = "g", Connect = "fake", Type = "fake", Params = new Dictionary<string, object>(), SourceFile = "g.toml" };
        var clock = new TimerCountingTimeProvider(Start);
        var runtime = new SinkRuntime(new SinkRuntimeOptions { SinkName = name, OnError = OnError.FixRetry, RescueRoot = dir.Combine("rescue") }, backend, clock, Logger.None);
        return (new SinkWorker(sink, group, runtime, clock, Logger.None), clock);
    }

    private static List<Record> Records(RecordLease lease, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var record = lease.Rent(1);
            record.Add("n", Value.Int(i));
            return record;
        }).ToList();

    [Fact]
    public void A_record_tagged_for_the_error_group_keeps_its_text_after_the_lease_is_reused()
    {
        var chars = "GET /a".ToCharArray();
        var record = new Record();
        record.Add("request", Value.String(chars, 0, 6));
        record.Add("status", Value.Int(500));

        var tagged = SinkTopology.ErrorGroupForwarder.Tag(record, "sink x failed");
        Array.Fill(chars, '?');

        tagged.ToString().Should().Contain("GET /a").And.Contain("sink x failed").And.NotContain("?");
    }
}
