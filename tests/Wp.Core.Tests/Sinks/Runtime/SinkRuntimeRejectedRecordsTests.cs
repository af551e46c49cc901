using Serilog.Events;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.Runtime;

/// <summary>A value the destination refuses is bad data, not an outage (docs/configuration.md, "Outage or bad data").</summary>
public sealed class SinkRuntimeRejectedRecordsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LogCapture _log = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Refused_records_go_to_the_error_group_with_the_reason_and_the_rest_counts_as_delivered()
    {
        var forwarder = new CollectingErrorForwarder();
        var batch = Enumerable.Range(0, 5).Select(Row).ToList();
        await using var runtime = NewRuntime(new RefusingBackend(1, 3), forwarder);

        (await runtime.WriteAsync(batch, default)).Should().Be(SinkWriteOutcome.Delivered);

        runtime.Stats.Delivered.Should().Be(3);
        runtime.Stats.ToError.Should().Be(2);
        runtime.Stats.Routed.Should().Be(5);
        runtime.IsDiverting.Should().BeFalse();
        _dir.FileNames().Should().BeEmpty("bad data is not an outage");
        forwarder.Received.Should().ContainSingle();
        forwarder.Received[0].Batch.Should().Equal(batch[1], batch[3]);
        forwarder.Received[0].Reason.Should().Be("sink s1 rejected the record: value too long");
    }

    [Fact]
    public async Task Without_an_error_group_refused_records_are_kept_as_a_rescue_file_outside_the_rescue_folder()
    {
        await using var runtime = NewRuntime(new RefusingBackend(0, 2), forwarder: null);

        await runtime.WriteAsync([Row(7), Row(8), Row(9)], default);

        runtime.Stats.Delivered.Should().Be(1);
        runtime.Stats.ToError.Should().Be(2);
        _dir.FileNames().Should().BeEmpty("nothing for wprescue to replay by itself: the destination would refuse it again");
        var kept = Directory.GetFiles(Path.Combine(_dir.Path, SinkRuntime.RejectedFolderName));
        kept.Should().ContainSingle().Which.Should().MatchRegex(@"s1-[^/]+\.dat$");
        var entries = File.ReadAllLines(kept[0]).Select(line =>
        {
            RescueEntryCodec.TryDecode(System.Text.Encoding.UTF8.GetBytes(line), out var record, out var error).Should().BeTrue(error);
            return record!.Find("n")!.Value.Value.AsInt;
        });
        entries.Should().Equal(7, 9);
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("2 rejected record(s) are kept in").And.Contain(kept[0]);
    }

    [Fact]
    public async Task Refused_records_that_cannot_be_kept_are_logged_one_by_one_with_their_fields()
    {
        File.WriteAllText(Path.Combine(_dir.Path, SinkRuntime.RejectedFolderName), "a file where the folder should be");
        await using var runtime = NewRuntime(new RefusingBackend(0), forwarder: null);

        await runtime.WriteAsync([Row(7), Row(8)], default);

        runtime.Stats.Delivered.Should().Be(1);
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("value too long").And.Contain("n: 7").And.Contain("cannot keep it");
    }

    [Fact]
    public async Task Records_refused_when_the_flush_ends_a_streamed_statement_go_to_the_error_group_and_the_rest_stay_delivered()
    {
        var forwarder = new CollectingErrorForwarder();
        var backend = new StatementBackend { RefusedAtFlush = r => r.Find("n")!.Value.Value.AsInt is 2 or 6 };
        await using var runtime = NewRuntime(backend, forwarder);

        await runtime.WriteAsync(Enumerable.Range(0, 4).Select(Row).ToList(), default);
        await runtime.WriteAsync(Enumerable.Range(4, 4).Select(Row).ToList(), default);
        await runtime.FlushAsync(default);

        runtime.Stats.Delivered.Should().Be(6);
        runtime.Stats.ToError.Should().Be(2);
        runtime.IsDiverting.Should().BeFalse();
        backend.Stored.Select(r => r.Find("n")!.Value.Value.AsInt).Should().Equal(0, 1, 3, 4, 5, 7);
        forwarder.Received.Should().ContainSingle().Which.Batch.Select(r => r.Find("n")!.Value.Value.AsInt).Should().Equal(2, 6);
    }

    [Fact]
    public async Task When_the_flush_after_a_refused_record_fails_the_rest_of_that_write_is_diverted_without_it()
    {
        await using var runtime = NewRuntime(new RefusingThenFailingFlushBackend(), new CollectingErrorForwarder());
        var batch = new List<Record> { Row(1), Row(2), Row(3) };

        await runtime.WriteAsync(batch, default);
        await runtime.FlushAsync(default);

        runtime.Stats.Delivered.Should().Be(0);
        runtime.Stats.ToError.Should().Be(1);
        runtime.Stats.Diverted.Should().Be(2, "the refused record went to the error group once, not again to rescue");
        runtime.IsDiverting.Should().BeTrue();
    }

    private SinkRuntime NewRuntime(ISinkBackend backend, IErrorGroupForwarder? forwarder) =>
        new(new SinkRuntimeOptions { SinkName = "s1", RescueRoot = _dir.Path }, backend, TimeProvider.System, _log.Logger, forwarder);

    private static Record Row(int n)
    {
        var record = new Record();
        record.Add("n", Value.Int(n));
        return record;
    }

    /// <summary>Refuses the first record of each write; every flush fails (the server went away).</summary>
    private sealed class RefusingThenFailingFlushBackend : ISinkBackend
    {
        public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
            ValueTask.FromException(new SinkRecordsRejectedException([new RejectedRecord(batch[0], "value too long")]));

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.FromException(new SinkUnavailableException("gone"));

        public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromException(new SinkUnavailableException("gone"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Writes every record but those at the given indexes, which it reports refused.</summary>
    private sealed class RefusingBackend(params int[] refused) : ISinkBackend
    {
        public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
            ValueTask.FromException(new SinkRecordsRejectedException(refused.Select(i => new RejectedRecord(batch[i], "value too long")).ToList()));

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
