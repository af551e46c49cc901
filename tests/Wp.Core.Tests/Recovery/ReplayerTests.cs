using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Wp.Core.Recovery;
using Wp.Core.Rescue;
using Wp.Core.Sinks;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Recovery;

public sealed class ReplayerTests : IDisposable
{
    private static readonly DateTime FileTime = new(2025, 10, 4, 1, 59, 24, DateTimeKind.Utc);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 10, 4, 2, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _log = new();
    private readonly RecordingBackend _backend = new();
    private readonly List<FilePosition> _commits = [];
    private readonly CheckpointStore _checkpoints;
    private readonly RecoveryCounters _counters;

    public ReplayerTests()
    {
        _checkpoints = new CheckpointStore(_dir.Path, _log.Logger);
        _counters = new RecoveryCounters(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replays_every_entry_in_order_then_deletes_the_file_and_clears_the_checkpoint()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 2500));
        await using var target = Target();
        var replayer = NewReplayer();

        var result = await replayer.ReplayAsync(file, target, default);

        result.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(Enumerable.Range(0, 2500).Select(i => (long)i));
        replayer.IsBeingDeleted(file.FileName).Should().BeTrue("the delete runs in the background");
        _checkpoints.TryGet(file.FileName, out var atEnd).Should().BeTrue("cleared only once the delete is done");
        atEnd.Offset.Should().Be(atEnd.Size);
        (await replayer.SettleDeletesAsync(wait: true)).Should().BeEmpty();
        replayer.IsBeingDeleted(file.FileName).Should().BeFalse();
        File.Exists(file.Path).Should().BeFalse();
        File.Exists(_checkpoints.FilePath).Should().BeFalse();
        _checkpoints.Positions.Should().BeEmpty();
        _commits.Select(c => c.Lines).Should().Equal(1000, 2000, 2500);
        result.Position.Offset.Should().Be(result.Position.Size, "the last checkpoint before the delete is at end of file");
        _log.Messages(LogEventLevel.Information).Should().Contain([$"recover begin! file : {file.Path}", $"recover end! clean file : {file.Path}"]);
        _counters.Entries.Should().Be(2500);
        _counters.FilesDone.Should().Be(1);
        target.Sent.Should().Be(2500);
    }

    [Fact]
    public async Task Checkpoints_every_n_lines_and_only_after_the_records_before_them_were_flushed()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 1050));
        var lines = File.ReadAllLines(file.Path);
        await using var target = Target(batchSize: 64);
        var flushedAtCommit = new List<int>();
        var replayer = NewReplayer(every: 100, onCommit: p => flushedAtCommit.Add(_backend.FlushedCount));

        await replayer.ReplayAsync(file, target, default);

        _commits.Select(c => c.Lines).Should().Equal(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1050);
        flushedAtCommit.Should().Equal(_commits.Select(c => (int)c.Lines), "each checkpoint covers exactly the flushed records");
        foreach (var commit in _commits)
        {
            // The offset is the byte just past line <Lines>.
            commit.Offset.Should().Be(lines.Take((int)commit.Lines).Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1));
        }

        _backend.Written.Should().HaveCount(1050);
    }

    [Fact]
    public async Task Checkpoints_at_least_every_200_ms_while_lines_trickle()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 100));
        _backend.OnWrite = _ => _clock.Advance(TimeSpan.FromMilliseconds(150)); // a slow target
        await using var target = Target(batchSize: 10);

        await NewReplayer(every: 1000).ReplayAsync(file, target, default);

        // 150 ms per batch of 10: the 200 ms rule fires after every second batch.
        _commits.Select(c => c.Lines).Should().Equal(20, 40, 60, 80, 100);
    }

    [Fact]
    public async Task Only_one_checkpoint_a_second_is_fsynced_the_others_are_atomic_renames()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 1000));
        _backend.OnWrite = _ => _clock.Advance(TimeSpan.FromMilliseconds(400)); // 400 ms per batch of 100
        await using var target = Target(batchSize: 100);
        var replayer = NewReplayer(every: 100);

        await replayer.ReplayAsync(file, target, default);
        await replayer.SettleDeletesAsync(wait: true);

        // Commits at 0.4, 0.8, 1.2 … 4.0 s: durable at 1.2, 2.4 and 3.6 s (1 s after the last durable one).
        _commits.Should().HaveCount(10);
        _checkpoints.Writes.Should().Be(11, "ten saves and the clear at end of file");
        _checkpoints.DurableWrites.Should().Be(3);
    }

    [Fact]
    public async Task Resumes_from_the_checkpointed_offset_and_sends_only_the_rest()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 100));
        var offset = File.ReadAllLines(file.Path).Take(40).Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1);
        _checkpoints.Save(new FilePosition(file.FileName, offset, 40, new FileInfo(file.Path).Length, Clean: true));
        await using var target = Target();

        var result = await NewReplayer().ReplayAsync(file, target, default);

        result.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(Enumerable.Range(40, 60).Select(i => (long)i));
        _log.Messages().Should().Contain(m => m.Contains("recover resume") && m.Contains("at line 40") && m.Contains("clean stop"));
    }

    [Fact]
    public async Task A_resume_after_an_unclean_end_warns_that_records_after_the_checkpoint_may_repeat()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 10));
        var offset = File.ReadAllLines(file.Path).Take(5).Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1);
        _checkpoints.Save(new FilePosition(file.FileName, offset, 5, new FileInfo(file.Path).Length, Clean: false));
        await using var target = Target();

        await NewReplayer(every: 7).ReplayAsync(file, target, default);

        _backend.Ns.Should().Equal(5, 6, 7, 8, 9);
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.Contains("at line 5") && m.Contains("up to 7 records"));
    }

    [Fact]
    public async Task A_checkpoint_at_the_end_of_the_file_sends_nothing_and_deletes_it()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 10));
        var size = new FileInfo(file.Path).Length;
        _checkpoints.Save(new FilePosition(file.FileName, size, 10, size));
        await using var target = Target();
        var replayer = NewReplayer();

        var result = await replayer.ReplayAsync(file, target, default);
        await replayer.SettleDeletesAsync(wait: true);

        result.Status.Should().Be(ReplayStatus.Completed);
        _backend.Written.Should().BeEmpty();
        File.Exists(file.Path).Should().BeFalse();
        _checkpoints.Positions.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]   // size differs: another file under the same name
    [InlineData(2)]   // offset inside a line
    public async Task A_checkpoint_that_does_not_fit_the_file_refuses_the_file_without_sending_anything(int mismatch)
    {
        // Issue 12: replaying such a file from its start re-sent delivered records on every run.
        var file = Candidate(new RescueFileBuilder().Entries(0, 10));
        var size = new FileInfo(file.Path).Length;
        _checkpoints.Save(mismatch == 1
            ? new FilePosition(file.FileName, 10, 1, size + 1)
            : new FilePosition(file.FileName, 10, 1, size));
        await using var target = Target();

        var result = await NewReplayer().ReplayAsync(file, target, default);

        result.Status.Should().Be(ReplayStatus.Refused);
        _backend.Ns.Should().BeEmpty();
        File.Exists(file.Path).Should().BeTrue();
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("its checkpoint does not fit the file");
    }

    [Fact]
    public async Task Blank_lines_are_skipped_counted_and_warned_once_per_file()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 3).Raw("\n").Entries(3, 2).Raw("  \t\r\n").Raw("\n").Entries(5, 1));
        await using var target = Target();

        var result = await NewReplayer().ReplayAsync(file, target, default);

        result.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(0, 1, 2, 3, 4, 5);
        _counters.Blank.Should().Be(3);
        _counters.Lines.Should().Be(9);
        _log.Messages(LogEventLevel.Warning).Where(m => m.Contains(": blank line")).Should().ContainSingle()
            .Which.Should().Contain("blank line 4 skipped");
        Directory.Exists(_dir.Combine("bad")).Should().BeFalse("blank lines are not quarantined");
    }

    [Fact]
    public async Task Invalid_lines_go_to_the_quarantine_with_their_line_numbers_and_the_file_still_completes()
    {
        var file = Candidate(new RescueFileBuilder()
            .Entries(0, 2)
            .Raw("plain text from an older tool\n")
            .Entries(2, 2)
            .Raw("{\"v\":1,\"f\":[[\"n\",\"i\",\"x\"]]}\n")
            .Raw("{\"v\":2}\n")
            .Entries(4, 1));
        await using var target = Target();
        var replayer = NewReplayer();

        var result = await replayer.ReplayAsync(file, target, default);
        await replayer.SettleDeletesAsync(wait: true);

        result.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(0, 1, 2, 3, 4);
        _counters.Bad.Should().Be(3);
        var bad = File.ReadAllLines(_dir.Combine("bad", file.FileName + ".bad"));
        bad.Should().HaveCount(3);
        bad.Select(l => l.Split('\t')[0]).Should().Equal("3", "6", "7");
        bad[0].Should().EndWith("\tplain text from an older tool");
        bad[2].Should().Contain("unsupported entry version 2");
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.Contains("line 3 is not a valid entry"));
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.Contains("3 bad lines skipped"));
        File.Exists(file.Path).Should().BeFalse();
    }

    [Fact]
    public async Task Lines_decoded_ahead_of_a_stop_are_neither_counted_nor_quarantined()
    {
        // The decoder runs about a batch ahead of the writes; what it decoded past the stop must leave no trace.
        var file = Candidate(new RescueFileBuilder().Entries(0, 60).Raw("not an entry\n").Raw("\n").Entries(60, 200));
        using var stop = new CancellationTokenSource();
        _backend.OnWrite = _ => stop.Cancel(); // a signal arriving while the first batch is being written
        await using var target = Target(batchSize: 40);

        var stopped = await NewReplayer(every: 1000).ReplayAsync(file, target, stop.Token);

        stopped.Status.Should().Be(ReplayStatus.Stopped);
        stopped.Position.Lines.Should().Be(40);
        _backend.Ns.Should().Equal(Enumerable.Range(0, 40).Select(i => (long)i));
        (_counters.Lines, _counters.Entries, _counters.Bad, _counters.Blank).Should().Be((40L, 40L, 0L, 0L));
        File.Exists(_dir.Combine("bad", file.FileName + ".bad")).Should().BeFalse();

        _backend.OnWrite = null;
        var resumed = await NewReplayer(every: 1000).ReplayAsync(file, target, default);

        resumed.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(Enumerable.Range(0, 260).Select(i => (long)i));
        (_counters.Bad, _counters.Blank).Should().Be((1L, 1L));
        File.ReadAllLines(_dir.Combine("bad", file.FileName + ".bad")).Select(l => l.Split('\t')[0]).Should().Equal("61");
    }

    [Fact]
    public async Task A_final_line_without_newline_is_still_replayed_when_it_decodes()
    {
        var last = System.Text.Encoding.UTF8.GetString(RescueFileBuilder.Encode(RescueFileBuilder.Entry(9))).TrimEnd('\n');
        var file = Candidate(new RescueFileBuilder().Entries(0, 2).Raw(last));
        await using var target = Target();

        await NewReplayer().ReplayAsync(file, target, default);

        _backend.Ns.Should().Equal(0, 1, 9);
    }

    [Fact]
    public async Task A_failing_target_that_says_when_it_is_back_passes_that_on_to_the_retry()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 10));
        _backend.Up = false;
        _backend.RetryAfter = TimeSpan.FromMilliseconds(750);
        await using var target = Target();

        var failed = await NewReplayer().ReplayAsync(file, target, default);

        failed.Status.Should().Be(ReplayStatus.TargetFailed);
        failed.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(750));
    }

    [Fact]
    public async Task A_failing_target_stops_the_file_at_its_last_checkpoint_and_creates_no_rescue_file()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 1000));
        _backend.FailBeyond = 250;
        await using var target = Target(batchSize: 50);
        var replayer = NewReplayer(every: 100);

        var failed = await replayer.ReplayAsync(file, target, default);

        failed.Status.Should().Be(ReplayStatus.TargetFailed);
        failed.Error.Should().Contain("recording backend: down");
        failed.RetryAfter.Should().BeNull("the backend did not say when it is back");
        failed.Position.Lines.Should().Be(200);
        failed.Progressed.Should().BeTrue();
        File.Exists(file.Path).Should().BeTrue();
        _checkpoints.TryGet(file.FileName, out var kept).Should().BeTrue();
        kept.Should().Be(failed.Position);
        RescueFilesIn(_dir.Path).Should().Equal(file.FileName);
        target.Runtime.Stats.Diverted.Should().Be(0);

        _backend.FailBeyond = null;
        var retried = await replayer.ReplayAsync(file, target, default);
        await replayer.SettleDeletesAsync(wait: true);

        retried.Status.Should().Be(ReplayStatus.Completed);
        var ns = _backend.Ns;
        ns.Distinct().Should().BeEquivalentTo(Enumerable.Range(0, 1000).Select(i => (long)i), "no record is lost");
        (ns.Count - 1000).Should().BeInRange(0, 100, "at most checkpoint_every_lines records are sent twice");
        RescueFilesIn(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task The_file_is_deleted_only_after_the_final_flush()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 30));
        var existedAtFlush = new List<bool>();
        _backend.OnFlush = () => existedAtFlush.Add(File.Exists(file.Path));
        await using var target = Target();
        var replayer = NewReplayer(every: 1000);

        _backend.FailNextFlush = true;
        var failed = await replayer.ReplayAsync(file, target, default);

        failed.Status.Should().Be(ReplayStatus.TargetFailed);
        File.Exists(file.Path).Should().BeTrue("the records were written but never flushed");
        _checkpoints.Positions.Should().BeEmpty();

        var done = await replayer.ReplayAsync(file, target, default);
        await replayer.SettleDeletesAsync(wait: true);

        done.Status.Should().Be(ReplayStatus.Completed);
        existedAtFlush.Should().Equal([true, true, true], "the final flush, then the sync (fsync) before the delete");
        File.Exists(file.Path).Should().BeFalse();
        target.Sent.Should().Be(60, "the failed attempt's records were sent again");
        target.Replayed.Should().Be(30, "each record counts once in the stat table");
        _counters.ReplayedEntries.Should().Be(30);
        _counters.ReplayedLines.Should().Be(30);
    }

    [Fact]
    public async Task A_stop_request_delivers_the_in_flight_batch_and_leaves_a_clean_checkpoint_then_a_resume_sends_each_record_once()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 500));
        using var stop = new CancellationTokenSource();
        var writes = 0;
        _backend.OnWrite = _ =>
        {
            if (++writes == 3)
            {
                stop.Cancel(); // a signal arriving while the third batch is being written
            }
        };
        await using var target = Target(batchSize: 40);
        var replayer = NewReplayer(every: 1000);

        var stopped = await replayer.ReplayAsync(file, target, stop.Token);

        stopped.Status.Should().Be(ReplayStatus.Stopped);
        stopped.Position.Lines.Should().Be(120);
        stopped.Position.Clean.Should().BeTrue();
        _checkpoints.DurableWrites.Should().Be(1, "the clean checkpoint of a stop is fsynced");
        _backend.FlushedCount.Should().Be(120);
        File.Exists(file.Path).Should().BeTrue();

        _backend.OnWrite = null;
        var resumed = await NewReplayer(every: 1000).ReplayAsync(file, target, default);

        resumed.Status.Should().Be(ReplayStatus.Completed);
        _backend.Ns.Should().Equal(Enumerable.Range(0, 500).Select(i => (long)i));
    }

    [Fact]
    public async Task Honours_the_speed_limit_on_the_injected_clock()
    {
        var clock = new TimerCountingTimeProvider(new DateTimeOffset(2025, 10, 4, 2, 0, 0, TimeSpan.Zero));
        var file = Candidate(new RescueFileBuilder().Entries(0, 250));
        await using var target = Target(time: clock);
        var replayer = new Replayer(
            new ReplayerOptions { RescueRoot = _dir.Path, SpeedLimit = 100 },
            _checkpoints,
            _counters,
            clock,
            _log.Logger);
        var started = clock.GetUtcNow();

        var run = replayer.ReplayAsync(file, target, default);
        while (!run.IsCompleted)
        {
            var next = clock.NextTimerAsync();
            if (await Task.WhenAny(run, next) == next)
            {
                clock.Advance(await next);
            }
        }

        (await run).Status.Should().Be(ReplayStatus.Completed);
        (clock.GetUtcNow() - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.49), "250 lines at 100 lines/s");
        _backend.Written.Should().HaveCount(250);
    }

    [Fact]
    public async Task A_replayed_file_that_cannot_be_deleted_keeps_its_checkpoint_at_its_end_and_a_retry_sends_nothing()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 30));
        await using var target = Target();
        var failing = NewReplayer(deleteFile: _ => throw new IOException("Read-only file system"));

        (await failing.ReplayAsync(file, target, default)).Status.Should().Be(ReplayStatus.Completed);
        var failed = await failing.SettleDeletesAsync(wait: true);

        failed.Select(f => f.Path).Should().Equal(file.Path);
        failing.IsBeingDeleted(file.FileName).Should().BeFalse("the engine may pick it again, after a backoff");
        File.Exists(file.Path).Should().BeTrue();
        _checkpoints.TryGet(file.FileName, out var kept).Should().BeTrue();
        kept.Offset.Should().Be(kept.Size);
        _log.Messages(LogEventLevel.Error).Should().ContainMatch("*replayed whole, but deleting it failed: Read-only file system*");

        var retry = NewReplayer();
        (await retry.ReplayAsync(file, target, default)).Status.Should().Be(ReplayStatus.Completed);
        (await retry.SettleDeletesAsync(wait: true)).Should().BeEmpty();

        _backend.Written.Should().HaveCount(30, "the retry sent nothing again");
        File.Exists(file.Path).Should().BeFalse();
        _checkpoints.Positions.Should().BeEmpty();
    }

    [Fact]
    public async Task Decoded_records_are_reused_but_only_after_the_flush_that_covers_them()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 5000, plain: true));
        var backend = new ReferenceKeepingBackend();
        await using var target = Target(batchSize: 100, backend: backend);

        var result = await NewReplayer(every: 500).ReplayAsync(file, target, default);

        result.Status.Should().Be(ReplayStatus.Completed);
        backend.Ns.Should().Equal(Enumerable.Range(0, 5000).Select(i => (long)i), "each record as it was when written");
        backend.Texts.Should().Equal(Enumerable.Range(0, 5000).Select(i => RescueFileBuilder.PlainEntry(i).ToString()), "text included");
        backend.ChangedBeforeFlush.Should().Be(0, "no record, and no text its values slice, is decoded into again before the flush that covers it");
        backend.Distinct.Should().BeLessThan(5000, "records of flushed chunks are filled again (a file's worth of records is not allocated)");
    }

    [Fact]
    public async Task After_a_backend_call_was_abandoned_no_record_is_reused_as_that_call_may_still_read_them()
    {
        var file = Candidate(new RescueFileBuilder().Entries(0, 5000, plain: true));
        var hang = new TaskCompletionSource();
        var backend = new ReferenceKeepingBackend { HangNextWrite = hang };
        var clock = new TimerCountingTimeProvider(_clock.GetUtcNow());
        await using var target = Target(batchSize: 100, time: clock, backend: backend);
        var replayer = NewReplayer(every: 500);

        var first = replayer.ReplayAsync(file, target, default);
        clock.Advance(await clock.NextTimerAsync()); // the hanging write's timeout
        (await first).Status.Should().Be(ReplayStatus.TargetFailed);
        target.Runtime.AbandonedCalls.Should().Be(1);
        var second = await replayer.ReplayAsync(file, target, default);

        second.Status.Should().Be(ReplayStatus.Completed);
        backend.Ns.Skip(100).Should().Equal(Enumerable.Range(0, 5000).Select(i => (long)i), "the retry sends the file from its start");
        backend.Distinct.Should().Be(backend.Ns.Count, "no record is filled again once a call may still be reading one");
        hang.SetResult();
    }

    private static string[] RescueFilesIn(string folder) =>
        Directory.GetFiles(folder)
            .Select(Path.GetFileName)
            .Where(f => f!.EndsWith(".dat", StringComparison.Ordinal) || f.EndsWith(".dat.lock", StringComparison.Ordinal))
            .ToArray()!;

    private RescueCandidate Candidate(RescueFileBuilder content, string sink = "s1", int seq = 0)
    {
        var path = content.WriteTo(_dir.Path, sink, FileTime, seq);
        RescueFileName.TryParse(Path.GetFileName(path), out var name).Should().BeTrue();
        return new RescueCandidate(path, name);
    }

    private ReplayTarget Target(int batchSize = 1024, TimeProvider? time = null, ISinkBackend? backend = null) =>
        RecoveryFixtures.Target("s1", backend ?? _backend, _dir.Path, time ?? _clock, _log.Logger, batchSize);

    private Replayer NewReplayer(int every = 1000, Action<FilePosition>? onCommit = null, Action<string>? deleteFile = null) =>
        new(
            new ReplayerOptions { RescueRoot = _dir.Path, CheckpointEveryLines = every },
            _checkpoints,
            _counters,
            _clock,
            _log.Logger)
        {
            Committed = p =>
            {
                onCommit?.Invoke(p);
                _commits.Add(p);
            },
            DeleteFile = deleteFile ?? File.Delete,
        };

    /// <summary>
    /// Keeps every record it is given, as a careless backend would, and counts those written since the
    /// last flush that changed before that flush (a record reused too early).
    /// </summary>
    private sealed class ReferenceKeepingBackend : ISinkBackend
    {
        private readonly List<(Record Record, string Seen)> _sinceFlush = [];
        private readonly HashSet<Record> _seen = new(ReferenceEqualityComparer.Instance);

        /// <summary>The next write hangs until this completes.</summary>
        public TaskCompletionSource? HangNextWrite { get; set; }

        /// <summary>The <c>n</c> of each record as it was written.</summary>
        public List<long> Ns { get; } = [];

        /// <summary>Each record's fields as text, as it was written.</summary>
        public List<string> Texts { get; } = [];

        /// <summary>How many distinct record objects were written.</summary>
        public int Distinct => _seen.Count;

        public int ChangedBeforeFlush { get; private set; }

        public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
        {
            foreach (var record in batch)
            {
                _sinceFlush.Add((record, record.ToString()));
                _seen.Add(record);
                Ns.Add(N(record));
                Texts.Add(record.ToString());
            }

            var hang = HangNextWrite;
            HangNextWrite = null;
            return hang is null ? ValueTask.CompletedTask : new ValueTask(hang.Task);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            ChangedBeforeFlush += _sinceFlush.Count(e => e.Record.ToString() != e.Seen);
            _sinceFlush.Clear();
            return ValueTask.CompletedTask;
        }

        public ValueTask ProbeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static long N(Record record) => record.Find("n")?.Value.AsInt ?? -1;
    }
}
