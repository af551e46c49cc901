using System.Text;
using Serilog.Events;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.Runtime;

public sealed class SinkRuntimeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly TimerCountingTimeProvider _clock = new(Start);
    private readonly LogCapture _log = new();
    private readonly FakeSinkBackend _primary;
    private int _next;

    public SinkRuntimeTests() => _primary = new FakeSinkBackend(_clock);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_healthy_primary_gets_every_batch()
    {
        await using var runtime = NewRuntime();

        (await runtime.WriteAsync(Batch(3), default)).Should().Be(SinkWriteOutcome.Delivered);
        (await runtime.WriteAsync(Batch(2), default)).Should().Be(SinkWriteOutcome.Delivered);
        await runtime.FlushAsync(default);

        _primary.Written.Should().HaveCount(5);
        _primary.Flushes.Should().Be(1);
        runtime.Stats.Delivered.Should().Be(5);
        runtime.IsDiverting.Should().BeFalse();
        _dir.FileNames().Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_batch_is_diverted_whole_and_later_batches_follow_it()
    {
        var runtime = NewRuntime();
        var failed = Batch(5);
        var later = Batch(3);
        _primary.Up = false;

        (await runtime.WriteAsync(failed, default)).Should().Be(SinkWriteOutcome.Diverted);
        var file = runtime.CurrentRescueFile;
        _primary.Up = true; // back, but no probe has said so yet
        (await runtime.WriteAsync(later, default)).Should().Be(SinkWriteOutcome.Diverted);

        runtime.IsDiverting.Should().BeTrue();
        _primary.Written.Should().BeEmpty();
        file.Should().EndWith(".dat.lock");
        _log.Messages(LogEventLevel.Warning).Should().ContainSingle()
            .Which.Should().Be($"sink s1 failed: fake: connection refused; diverting to {file}");
        runtime.Stats.Diverted.Should().Be(8);
        runtime.Stats.Failures.Should().Be(1);

        await runtime.DisposeAsync();

        var sealedFile = _dir.FileNames().Should().ContainSingle().Subject;
        sealedFile.Should().Be(Path.GetFileName(file)![..^".lock".Length]);
        Texts(ReadEntries(_dir.Combine(sealedFile))).Should().Equal(Texts(failed.Concat(later)));
    }

    [Fact]
    public async Task A_failed_write_to_a_streamed_statement_diverts_what_was_written_since_the_last_flush_with_it()
    {
        // The backend aborts its open statement when a write fails: the records of the earlier
        // writes are not stored either.
        var backend = new StatementBackend();
        var runtime = new SinkRuntime(new SinkRuntimeOptions { SinkName = "s1", RescueRoot = _dir.Path }, backend, _clock, _log.Logger);
        var flushed = Batch(2);
        var unflushed = Batch(4);
        var failed = Batch(3);
        await runtime.WriteAsync(flushed, default);
        await runtime.FlushAsync(default);
        await runtime.WriteAsync(unflushed, default);
        backend.Up = false;

        (await runtime.WriteAsync(failed, default)).Should().Be(SinkWriteOutcome.Diverted);
        await runtime.DisposeAsync();

        backend.Stored.Should().Equal(flushed);
        runtime.Stats.Delivered.Should().Be(2);
        runtime.Stats.Diverted.Should().Be(7);
        var sealedFile = _dir.FileNames().Should().ContainSingle().Subject;
        Texts(ReadEntries(_dir.Combine(sealedFile))).Should().Equal(Texts(unflushed.Concat(failed)));
    }

    [Fact]
    public async Task Probes_back_off_from_100_ms_doubling_to_5_s_and_never_swap_back_while_failing()
    {
        await using var runtime = NewRuntime();
        _primary.Up = false;
        await runtime.WriteAsync(Batch(1), default);

        var expected = new[] { 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000 };
        var previous = _clock.GetUtcNow();
        foreach (var ms in expected)
        {
            (await _clock.NextTimerAsync()).Should().Be(TimeSpan.FromMilliseconds(ms));
            _clock.Advance(TimeSpan.FromMilliseconds(ms));
            var probedAt = await _primary.NextProbeAsync();

            (probedAt - previous).Should().Be(TimeSpan.FromMilliseconds(ms));
            previous = probedAt;
            (await runtime.WriteAsync(Batch(1), default)).Should().Be(SinkWriteOutcome.Diverted);
        }

        runtime.IsDiverting.Should().BeTrue();
        _primary.ProbeTimes.Should().HaveCount(expected.Length);
        _dir.FileNames().Should().ContainSingle().Which.Should().EndWith(".dat.lock");
        _log.Messages().Should().NotContain(m => m.Contains("reconnect success"));
    }

    [Fact]
    public async Task Probe_waits_are_spread_by_the_shared_jittered_backoff()
    {
        // Draws 0 → -20 %, 0.75 → +10 %, 0.5 → exact: around 100, 200, 400, 800 ms.
        await using var runtime = NewRuntime(probeJitter: 0.2, probeRandom: new ScriptedRandom(0, 0.75, 0.5, 0.25));
        _primary.Up = false;
        await runtime.WriteAsync(Batch(1), default);

        foreach (var ms in new[] { 80, 220, 400, 720 })
        {
            (await _clock.NextTimerAsync()).Should().Be(TimeSpan.FromMilliseconds(ms));
            _clock.Advance(TimeSpan.FromMilliseconds(ms));
            await _primary.NextProbeAsync();
        }

        runtime.IsDiverting.Should().BeTrue();
    }

    [Fact]
    public async Task A_successful_probe_swaps_back_and_seals_the_rescue_file()
    {
        await using var runtime = NewRuntime();
        var diverted = Batch(4);
        _primary.Up = false;
        await runtime.WriteAsync(diverted, default);

        await FailOneProbeAsync();
        await SucceedNextProbeAsync(runtime);

        runtime.IsDiverting.Should().BeFalse();
        var file = _dir.FileNames().Should().ContainSingle().Subject;
        file.Should().EndWith(".dat");
        Texts(ReadEntries(_dir.Combine(file))).Should().Equal(Texts(diverted));
        _log.Messages(LogEventLevel.Information).Should().Contain(m => m.StartsWith("sink s1 reconnect success", StringComparison.Ordinal));

        (await runtime.WriteAsync(Batch(2), default)).Should().Be(SinkWriteOutcome.Delivered);
        _primary.Written.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_failure_after_swap_back_starts_a_new_file_with_a_sequence_number_in_the_same_second()
    {
        await using var runtime = NewRuntime();
        _primary.Up = false;
        await runtime.WriteAsync(Batch(1), default);
        await SucceedNextProbeAsync(runtime); // 100 ms later: still the same second

        _primary.Up = false;
        await runtime.WriteAsync(Batch(2), default);
        await SucceedNextProbeAsync(runtime);

        var names = _dir.FileNames().Select(f =>
        {
            RescueFileName.TryParse(f, out var name).Should().BeTrue(f);
            return name;
        }).Order(RescueFileName.ByTimeThenSeq).ToArray();
        names.Select(n => (n.Seq, n.Sealed)).Should().Equal((0, true), (1, true));
        names[0].TimeUtc.Should().Be(names[1].TimeUtc);
    }

    [Fact]
    public async Task Rescue_files_rotate_at_max_file_bytes_while_diverting()
    {
        var runtime = NewRuntime(maxFileBytes: 200);
        _primary.Up = false;

        for (var i = 0; i < 10; i++)
        {
            await runtime.WriteAsync(Batch(3), default);
        }

        await runtime.DisposeAsync();

        var files = _dir.FileNames();
        files.Length.Should().BeGreaterThan(2);
        files.Should().OnlyContain(f => f.EndsWith(".dat", StringComparison.Ordinal));
        files.Sum(f => ReadEntries(_dir.Combine(f)).Count).Should().Be(30);
        runtime.Stats.Diverted.Should().Be(30);
    }

    [Fact]
    public async Task A_hanging_probe_does_not_hold_up_writes()
    {
        await using var runtime = NewRuntime();
        var release = new TaskCompletionSource();
        _primary.ProbeBlocker = release.Task;
        _primary.Up = false;
        await runtime.WriteAsync(Batch(1), default);
        await _clock.NextTimerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await _primary.NextProbeAsync(); // the probe is now stuck inside the primary

        for (var i = 0; i < 5; i++)
        {
            (await runtime.WriteAsync(Batch(2), default)).Should().Be(SinkWriteOutcome.Diverted);
        }

        _primary.Up = true;
        release.SetResult();
        await runtime.ProbeTask.WaitAsync(TimeSpan.FromSeconds(10));

        runtime.IsDiverting.Should().BeFalse();
        runtime.Stats.Diverted.Should().Be(11);
    }

    [Fact]
    public async Task Tolerant_forwards_the_failed_batch_with_the_reason_and_keeps_using_the_primary()
    {
        var forwarder = new CollectingErrorForwarder();
        await using var runtime = NewRuntime(OnError.Tolerant, forwarder: forwarder);
        var failed = Batch(3);
        _primary.Up = false;

        (await runtime.WriteAsync(failed, default)).Should().Be(SinkWriteOutcome.ToErrorGroup);
        _primary.Up = true;
        (await runtime.WriteAsync(Batch(2), default)).Should().Be(SinkWriteOutcome.Delivered);

        forwarder.Received.Should().ContainSingle();
        forwarder.Received[0].Reason.Should().Be("sink s1 failed: fake: connection refused");
        Texts(forwarder.Received[0].Batch).Should().Equal(Texts(failed));
        runtime.Stats.ToError.Should().Be(3);
        runtime.Stats.Delivered.Should().Be(2);
        runtime.IsDiverting.Should().BeFalse();
        _dir.FileNames().Should().BeEmpty();
    }

    [Fact]
    public void Tolerant_without_a_forwarder_is_a_programming_error()
    {
        var act = () => NewRuntime(OnError.Tolerant);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Throw_fails_naming_the_sink_and_the_error_and_still_keeps_the_batch()
    {
        var runtime = NewRuntime(OnError.Throw);
        _primary.Up = false;

        var act = async () => await runtime.WriteAsync(Batch(4), default);

        var error = (await act.Should().ThrowAsync<SinkFailedException>()).Which;
        error.SinkName.Should().Be("s1");
        error.Message.Should().StartWith("sink s1 failed: fake: connection refused; the failed batch of 4 records was kept in ");
        runtime.IsDiverting.Should().BeFalse();

        await runtime.DisposeAsync();
        var file = _dir.FileNames().Should().ContainSingle().Subject;
        ReadEntries(_dir.Combine(file)).Should().HaveCount(4);
        runtime.Stats.Diverted.Should().Be(4);
    }

    [Fact]
    public async Task An_unwritable_rescue_root_fails_loudly_with_the_number_of_records_not_stored()
    {
        var blocker = _dir.Combine("a-file");
        File.WriteAllText(blocker, "not a folder");
        var runtime = NewRuntime(rescueRoot: Path.Combine(blocker, "rescue"));
        _primary.Up = false;

        var act = async () => await runtime.WriteAsync(Batch(7), default);

        var error = (await act.Should().ThrowAsync<RescueUnavailableException>()).Which;
        error.RecordsNotStored.Should().Be(7);
        error.Message.Should().Contain("7 records could not be stored").And.Contain(Path.Combine(blocker, "rescue"));
        runtime.Stats.NotStored.Should().Be(7);
        runtime.Stats.Routed.Should().Be(7);
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("7 records could not be stored");
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_flush_under_fix_retry_diverts_the_unflushed_batches_and_what_follows()
    {
        await using var runtime = NewRuntime();
        await runtime.WriteAsync(Batch(4), default);
        await runtime.FlushAsync(default);
        await runtime.WriteAsync(Batch(2), default);
        _primary.Up = false;

        await runtime.FlushAsync(default);
        (await runtime.WriteAsync(Batch(3), default)).Should().Be(SinkWriteOutcome.Diverted);

        runtime.IsDiverting.Should().BeTrue();
        runtime.Stats.Delivered.Should().Be(4, "the 4 were flushed before the failure");
        runtime.Stats.Diverted.Should().Be(5, "the 2 not yet flushed, and the 3 after");
        _log.Messages(LogEventLevel.Warning).Should().ContainSingle().Which.Should().Contain("flush failed");
    }

    [Fact]
    public async Task A_failing_final_flush_diverts_what_the_backend_held_and_logs_no_error()
    {
        var runtime = NewRuntime();
        await runtime.WriteAsync(Batch(2), default);
        _primary.Up = false;

        await runtime.DisposeAsync();

        runtime.Stats.Delivered.Should().Be(0);
        runtime.Stats.Diverted.Should().Be(2);
        _log.Messages(LogEventLevel.Error).Should().BeEmpty();
        _dir.FileNames().Should().ContainSingle().Which.Should().EndWith(".dat");
    }

    [Fact]
    public async Task Dispose_flushes_an_up_primary_seals_and_disposes()
    {
        var runtime = NewRuntime();
        await runtime.WriteAsync(Batch(1), default);

        await runtime.DisposeAsync();
        await runtime.DisposeAsync(); // idempotent

        _primary.Flushes.Should().Be(1);
        _primary.Disposed.Should().BeTrue();
        var write = async () => await runtime.WriteAsync(Batch(1), default);
        await write.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Dispose_while_diverting_seals_the_file_without_touching_the_down_primary()
    {
        var runtime = NewRuntime();
        _primary.Up = false;
        await runtime.WriteAsync(Batch(2), default);

        await runtime.DisposeAsync();

        _primary.Flushes.Should().Be(0);
        _primary.Disposed.Should().BeTrue();
        _dir.FileNames().Should().ContainSingle().Which.Should().EndWith(".dat");
        runtime.ProbeTask.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Delivered_plus_diverted_always_equals_routed()
    {
        var runtime = NewRuntime(maxFileBytes: 1000);
        var routed = 0;
        for (var i = 0; i < 60; i++)
        {
            // Outages of varying length; recovery is only ever noticed through a probe.
            _primary.Up = i % 17 is not (3 or 4 or 5 or 11) && i % 7 != 6;
            var size = (i % 5) + 1;
            await runtime.WriteAsync(Batch(size), default);
            routed += size;

            if (runtime.IsDiverting && _clock.HasPendingTimer)
            {
                var due = await _clock.NextTimerAsync();
                _clock.Advance(due);
                await _primary.NextProbeAsync();
                if (_primary.Up)
                {
                    await runtime.ProbeTask.WaitAsync(TimeSpan.FromSeconds(10));
                }
            }

            runtime.Stats.Delivered.Should().Be(_primary.Written.Count);
            (runtime.Stats.Delivered + runtime.Stats.Diverted).Should().Be(routed);
        }

        await runtime.DisposeAsync();

        var inRescue = _dir.FileNames().Sum(f => ReadEntries(_dir.Combine(f)).Count);
        _dir.FileNames().Should().OnlyContain(f => f.EndsWith(".dat", StringComparison.Ordinal));
        (_primary.Written.Count + inRescue).Should().Be(routed);
        inRescue.Should().Be((int)runtime.Stats.Diverted).And.BeGreaterThan(0);
        runtime.Stats.Routed.Should().Be(routed);
    }

    [Fact]
    public async Task A_write_that_hangs_past_the_timeout_counts_as_down_and_the_batch_is_diverted()
    {
        // Issue 12: a hanging backend stalled its group (and through back-pressure every group).
        var hang = new TaskCompletionSource();
        _primary.WriteBlocker = hang.Task;
        await using var runtime = NewRuntime();

        var write = runtime.WriteAsync(Batch(3), CancellationToken.None).AsTask();
        var timer = await _clock.NextTimerAsync();
        _clock.Advance(timer);
        var outcome = await write.WaitAsync(TimeSpan.FromSeconds(10));

        timer.Should().Be(TimeSpan.FromSeconds(60));
        outcome.Should().Be(SinkWriteOutcome.Diverted);
        runtime.IsDiverting.Should().BeTrue();
        runtime.Stats.Diverted.Should().Be(3);
        runtime.AbandonedCalls.Should().Be(1, "the hanging write may still read its records");
        _log.Messages().Should().Contain(m => m.Contains("did not finish within 60000 ms", StringComparison.Ordinal));
        hang.SetResult();
    }

    private SinkRuntime NewRuntime(
        OnError onError = OnError.FixRetry,
        long maxFileBytes = 1 << 20,
        string? rescueRoot = null,
        IErrorGroupForwarder? forwarder = null,
        double probeJitter = 0,
        Random? probeRandom = null) =>
        new(
            new SinkRuntimeOptions
            {
                SinkName = "s1",
                OnError = onError,
                RescueRoot = rescueRoot ?? _dir.Path,
                MaxFileBytes = maxFileBytes,
                ProbeJitter = probeJitter,
                ProbeRandom = probeRandom,
            },
            _primary,
            _clock,
            _log.Logger,
            forwarder);

    private async Task FailOneProbeAsync()
    {
        _primary.Up = false;
        _clock.Advance(await _clock.NextTimerAsync());
        await _primary.NextProbeAsync();
    }

    private async Task SucceedNextProbeAsync(SinkRuntime runtime)
    {
        _primary.Up = true;
        _clock.Advance(await _clock.NextTimerAsync());
        await _primary.NextProbeAsync();
        await runtime.ProbeTask.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private List<Record> Batch(int count)
    {
        var batch = new List<Record>(count);
        for (var i = 0; i < count; i++)
        {
            var record = new Record();
            record.Add("n", Value.Int(_next++));
            record.Add("msg", Value.String("line \"" + _next + "\""));
            batch.Add(record);
        }

        return batch;
    }

    private static IEnumerable<string> Texts(IEnumerable<Record> records) => records.Select(r => r.ToString());

    private static List<Record> ReadEntries(string path)
    {
        var records = new List<Record>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out var record, out var error).Should().BeTrue(error);
            records.Add(record!);
        }

        return records;
    }
}
