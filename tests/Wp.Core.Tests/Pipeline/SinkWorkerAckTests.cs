using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Wp.Core.Config;
using Wp.Core.Pipeline;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Sources.Acks;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Pipeline;

public sealed class SinkWorkerAckTests
{
    [Fact]
    public async Task A_unit_is_acknowledged_once_every_sink_has_written_and_flushed_its_records()
    {
        using var dir = new TempDir();
        var tracker = new AckTracker<int>();
        var backendA = new FakeSinkBackend();
        var backendB = new FakeSinkBackend();
        var a = Worker(backendA, dir, "a", batchSize: 4);
        var b = Worker(backendB, dir, "b", batchSize: 4);
        var runA = a.RunAsync(_ => { });
        var runB = b.RunAsync(_ => { });

        var ticket = tracker.Issue(1);
        await a.PostAsync(Records(6), ticket, CancellationToken.None);
        await b.PostAsync(Records(6), ticket, CancellationToken.None);
        ticket.Release();

        a.Complete();
        await runA;
        tracker.TryGetWatermark(out _).Should().BeFalse("sink b has not stored its copy");

        b.Complete();
        await runB;
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(1);
        backendA.Flushes.Should().BeGreaterThan(0);
        backendA.Written.Should().HaveCount(6);
    }

    [Fact]
    public async Task Records_diverted_to_a_rescue_file_acknowledge_their_unit()
    {
        using var dir = new TempDir();
        var tracker = new AckTracker<int>();
        var backend = new FakeSinkBackend { Up = false };
        var worker = Worker(backend, dir, "s", batchSize: 4);
        var run = worker.RunAsync(_ => { });

        var ticket = tracker.Issue(7);
        await worker.PostAsync(Records(3), ticket, CancellationToken.None);
        ticket.Release();
        worker.Complete();
        await run;
        await worker.Runtime.DisposeAsync();

        worker.Runtime.Stats.Diverted.Should().Be(3);
        tracker.TryGetWatermark(out var mark).Should().BeTrue();
        mark.Should().Be(7);
    }

    [Fact]
    public async Task Records_of_a_sink_that_failed_fatally_never_acknowledge_their_unit()
    {
        using var dir = new TempDir();
        var tracker = new AckTracker<int>();
        var backend = new FakeSinkBackend { Up = false };
        var worker = Worker(backend, dir, "s", batchSize: 4, OnError.Throw);
        var run = worker.RunAsync(_ => { });

        var ticket = tracker.Issue(1);
        await worker.PostAsync(Records(3), ticket, CancellationToken.None);
        ticket.Release();
        worker.Complete();
        await run;
        await worker.Runtime.DisposeAsync();

        worker.Fatal.Should().NotBeNull();
        tracker.TryGetWatermark(out _).Should().BeFalse();
    }

    private static SinkWorker Worker(ISinkBackend backend, TempDir dir, string name, int batchSize, OnError onError = OnError.FixRetry)
    {
        var group = new SinkGroupOptions { Name = "g", IsInfra = false, Sinks = [], SourceFile = "g.toml", BatchSize = batchSize, BatchTimeoutMs = 300, OnError = onError };
        var sink = new SinkOptions { Name = name, Group = "g", Connect = "fake", Type = "fake", Params = new Dictionary<string, object>(), SourceFile = "g.toml" };
        var clock = new FakeTimeProvider();
        var runtime = new SinkRuntime(new SinkRuntimeOptions { SinkName = name, OnError = onError, RescueRoot = dir.Combine("rescue") }, backend, clock, Logger.None);
        return new SinkWorker(sink, group, runtime, clock, Logger.None);
    }

    private static List<Record> Records(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var record = new Record(1);
            record.Add("n", Value.Int(i));
            return record;
        }).ToList();
}
