using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Wp.Core.Config;
using Wp.Core.Pipeline;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Pipeline;

public sealed class SinkWorkerTests
{
    [Fact]
    public async Task Records_are_written_in_batches_of_batch_size_and_the_rest_when_the_channel_completes()
    {
        using var dir = new TempDir();
        var backend = new BatchRecordingBackend();
        var worker = Worker(backend, dir, batchSize: 1000, new FakeTimeProvider());
        await RunToEndAsync(worker, Chunks(2500, chunkSize: 300));

        backend.BatchSizes.Should().Equal(1000, 1000, 500);
        backend.Records.Select(r => r[0].Value.AsInt).Should().Equal(Enumerable.Range(0, 2500).Select(i => (long)i), "order is kept");
        backend.Flushes.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_partial_batch_is_written_once_the_batch_timeout_passes_on_the_injected_clock()
    {
        using var dir = new TempDir();
        var clock = new FakeTimeProvider();
        var backend = new BatchRecordingBackend();
        var worker = Worker(backend, dir, batchSize: 1000, clock);
        var run = worker.RunAsync(_ => { });

        await worker.PostAsync(Chunks(10, 10).Single(), CancellationToken.None);
        await WaitUntil(() => backend.BatchSizes.Count == 1, eachTry: () => clock.Advance(TimeSpan.FromMilliseconds(50)));

        backend.BatchSizes.Should().Equal(10);
        worker.Complete();
        await run;
    }

    [Fact]
    public async Task A_backend_that_streams_batches_gets_each_chunk_as_it_comes_and_one_commit_per_batch_size()
    {
        using var dir = new TempDir();
        var backend = new StatementBackend();
        var worker = Worker(backend, dir, batchSize: 1000, new FakeTimeProvider());
        await RunToEndAsync(worker, Chunks(2500, chunkSize: 300));

        backend.Statements.Select(s => s.Count).Should().Equal(1000, 1000, 500);
        backend.Writes.Should().Equal(300, 300, 300, 100, 200, 300, 300, 200, 100, 300, 100);
        backend.Stored.Select(r => r[0].Value.AsInt).Should().Equal(Enumerable.Range(0, 2500).Select(i => (long)i), "order is kept");
    }

    [Fact]
    public async Task A_streamed_batch_is_committed_once_the_batch_timeout_passes_on_the_injected_clock()
    {
        using var dir = new TempDir();
        var clock = new FakeTimeProvider();
        var backend = new StatementBackend();
        var worker = Worker(backend, dir, batchSize: 1000, clock);
        var run = worker.RunAsync(_ => { });

        await worker.PostAsync(Chunks(10, 10).Single(), CancellationToken.None);
        await WaitUntil(() => backend.Statements.Count == 1, eachTry: () => clock.Advance(TimeSpan.FromMilliseconds(50)));

        backend.Statements.Single().Should().HaveCount(10);
        worker.Complete();
        await run;
    }

    [Fact]
    public async Task When_a_streamed_statement_fails_every_record_is_stored_once_in_the_destination_or_a_rescue_file()
    {
        using var dir = new TempDir();
        var backend = new StatementBackend { FailingWrite = 7 }; // 300, 300, 300, 100 | 200, 300, then the 7th (300) fails
        var worker = Worker(backend, dir, batchSize: 1000, new FakeTimeProvider());
        await RunToEndAsync(worker, Chunks(2500, chunkSize: 300));
        await worker.Runtime.DisposeAsync();

        backend.Statements.Select(s => s.Count).Should().Equal(1000);
        worker.Runtime.Stats.Delivered.Should().Be(1000);
        worker.Runtime.Stats.Diverted.Should().Be(1500, "the open statement's 500 records, the failed write's 300 and the 700 after it");
        var rescued = Directory.GetFiles(dir.Combine("rescue")).SelectMany(Rescue.RescueWriterTests.ReadEntries);
        backend.Stored.Concat(rescued).Select(r => r[0].Value.AsInt).Should().Equal(Enumerable.Range(0, 2500).Select(i => (long)i), "each record once, in order");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    [InlineData(1700)]
    public async Task When_rescue_storage_fails_the_not_stored_count_is_exactly_what_was_not_stored(int deliveredBeforeFailure)
    {
        // Issue 12: 2,000 records lost, 1,658 reported (the rest of the chunk being batched was never counted).
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("not-a-folder"), "x");
        var backend = new FailingAfterBackend(deliveredBeforeFailure);
        var worker = Worker(backend, dir, batchSize: 256, new FakeTimeProvider(), rescueRoot: dir.Combine("not-a-folder", "rescue"));
        var fatal = 0;
        await RunToEndAsync(worker, Chunks(2000, chunkSize: 300), _ => fatal++);

        fatal.Should().Be(1);
        worker.Abandoned.Should().Be(2000 - backend.Delivered);
        (backend.Delivered + worker.Abandoned).Should().Be(2000);
        worker.Runtime.Stats.Diverted.Should().Be(0);
    }

    private static SinkWorker Worker(ISinkBackend backend, TempDir dir, int batchSize, TimeProvider clock, string? rescueRoot = null)
    {
        var group = new SinkGroupOptions { Name = "g", IsInfra = false, Sinks = [], SourceFile = "g.toml", BatchSize = batchSize, BatchTimeoutMs = 300 };
        var sink = new SinkOptions { Name = "s", Group = "g", Connect = "fake", Type = "fake", Params = new Dictionary<string, object>(), SourceFile = "g.toml" };
        var runtime = new SinkRuntime(new SinkRuntimeOptions { SinkName = "s", RescueRoot = rescueRoot ?? dir.Combine("rescue") }, backend, clock, Logger.None);
        return new SinkWorker(sink, group, runtime, clock, Logger.None);
    }

    /// <summary>Runs the worker over <paramref name="chunks"/> until it has written them all.</summary>
    private static async Task RunToEndAsync(SinkWorker worker, IEnumerable<IReadOnlyList<Record>> chunks, Action<SinkWorker>? onFatal = null)
    {
        var run = worker.RunAsync(onFatal ?? (_ => { }));
        foreach (var chunk in chunks)
        {
            await worker.PostAsync(chunk, CancellationToken.None);
        }

        worker.Complete();
        await run;
    }

    private static IEnumerable<IReadOnlyList<Record>> Chunks(int records, int chunkSize) =>
        Enumerable.Range(0, records).Select(i =>
        {
            var record = new Record(1);
            record.Add("n", Value.Int(i));
            return record;
        }).Chunk(chunkSize);

    /// <summary>Polls a condition that depends on another task's progress (not a timing assertion).</summary>
    private static async Task WaitUntil(Func<bool> condition, Action eachTry)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            eachTry();
            await Task.Delay(5);
        }

        condition().Should().BeTrue();
    }

    private sealed class BatchRecordingBackend : ISinkBackend
    {
        private readonly List<int> _sizes = [];
        private readonly List<Record> _records = [];

        public IReadOnlyList<int> BatchSizes { get { lock (_sizes) { return [.. _sizes]; } } }

        public IReadOnlyList<Record> Records { get { lock (_sizes) { return [.. _records]; } } }

        public int Flushes { get; private set; }

        public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
        {
            lock (_sizes)
            {
                _sizes.Add(batch.Count);
                _records.AddRange(batch);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return ValueTask.CompletedTask;
        }

        public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Accepts whole batches until <c>limit</c> records would be passed, then fails every call.</summary>
    private sealed class FailingAfterBackend(int limit) : ISinkBackend
    {
        public long Delivered { get; private set; }

        public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
        {
            if (Delivered + batch.Count > limit)
            {
                throw new SinkUnavailableException("down");
            }

            Delivered += batch.Count;
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromException(new SinkUnavailableException("down"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
