using Serilog.Events;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Recovery;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

/// <summary>
/// The engine on a temp work root with in-memory backends and a fake clock: every wait (idle scan,
/// backoff, idle exit) is a timer the test fires by advancing the clock, so nothing depends on real time.
/// </summary>
public sealed class RecoveryEngineTests : IDisposable
{
    private static readonly DateTime T0 = new(2025, 10, 4, 1, 0, 0, DateTimeKind.Utc);
    private readonly TempWorkRoot _root = TempWorkRoot.Create();
    private readonly TimerCountingTimeProvider _clock = new(new DateTimeOffset(2025, 10, 4, 2, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _log = new();
    private readonly Dictionary<string, RecordingBackend> _backends = new() { ["a"] = new(), ["b"] = new() };
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public RecoveryEngineTests() => Project();

    private string Rescue => _root.PathOf("data/rescue");

    public void Dispose()
    {
        _root.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("oldest")]
    public async Task Batch_replays_every_file_in_order_deleting_each_and_exits_0(string order)
    {
        Project(order: order);
        var files = new[]
        {
            new RescueFileBuilder().Entries(100, 3).WriteTo(Rescue, "a", T0.AddSeconds(1)),
            new RescueFileBuilder().Entries(200, 3).WriteTo(Rescue, "a", T0.AddSeconds(1), seq: 1),
            new RescueFileBuilder().Entries(300, 3).WriteTo(Rescue, "b", T0.AddSeconds(2)),
            new RescueFileBuilder().Entries(0, 3).WriteTo(Rescue, "a", T0),
        };

        var code = await RunAsync();

        code.Should().Be(ExitCodes.Success, _stderr.ToString());
        var expected = order == "newest" ? new[] { files[2], files[1], files[0], files[3] } : [files[3], files[0], files[1], files[2]];
        Begun().Should().Equal(expected);
        _backends["a"].Ns.Should().BeEquivalentTo(new long[] { 0, 1, 2, 100, 101, 102, 200, 201, 202 });
        _backends["b"].Ns.Should().Equal(300, 301, 302);
        RescueFiles().Should().BeEmpty();
        _log.Messages(LogEventLevel.Information).Should().Contain(["recover begin", "recover end"]);
        _log.Messages(LogEventLevel.Information).Should().Contain($"recover end! clean file : {files[0]}");
        _stdout.ToString().Should().Contain("-- wprescue total --").And.MatchRegex(@"pick\s+rescue\s+\S+\s+12\s+12");
    }

    [Fact]
    public async Task A_file_for_an_unknown_sink_is_skipped_with_an_error_the_others_are_replayed_and_batch_exits_5()
    {
        var ghost = new RescueFileBuilder().Entries(0, 2).WriteTo(Rescue, "ghost", T0.AddSeconds(5));
        var known = new RescueFileBuilder().Entries(0, 2).WriteTo(Rescue, "a", T0);

        var code = await RunAsync();

        code.Should().Be(ExitCodes.RescueLeft);
        _backends["a"].Ns.Should().Equal(0, 1);
        File.Exists(known).Should().BeFalse();
        File.Exists(ghost).Should().BeTrue();
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Be($"recover skip: {ghost}: no sink named ghost");
        _stderr.ToString().Should().Contain("1 rescue file(s) left unreplayed").And.Contain(Path.GetFileName(ghost));
    }

    [Fact]
    public async Task A_failing_target_is_retried_with_exponential_backoff_and_completes_when_back_without_creating_rescue_files()
    {
        var file = new RescueFileBuilder().Entries(0, 50).WriteTo(Rescue, "a", T0);
        _backends["a"].FailWrites = 3;

        var code = await RunAsync();

        code.Should().Be(ExitCodes.Success, _stderr.ToString());
        _backends["a"].Ns.Should().Equal(Enumerable.Range(0, 50).Select(i => (long)i));
        _log.Messages(LogEventLevel.Warning).Where(m => m.StartsWith("recover stop", StringComparison.Ordinal))
            .Select(m => m[(m.LastIndexOf(" in ", StringComparison.Ordinal) + 4)..])
            .Should().Equal("250 ms", "500 ms", "1000 ms");
        File.Exists(file).Should().BeFalse();
        Directory.GetFiles(Rescue).Select(Path.GetFileName).Should().Equal(InstanceLock.FileName);
    }

    [Fact]
    public async Task A_target_that_stays_down_leaves_the_file_with_its_checkpoint_and_batch_exits_5()
    {
        var file = new RescueFileBuilder().Entries(0, 300).WriteTo(Rescue, "a", T0);
        Project(checkpointEvery: 100);
        _backends["a"].FailBeyond = 150;

        var code = await RunAsync();

        code.Should().Be(ExitCodes.RescueLeft);
        File.Exists(file).Should().BeTrue();
        var checkpoint = new CheckpointStore(Rescue, _log.Logger);
        checkpoint.Load();
        checkpoint.Positions[Path.GetFileName(file)].Lines.Should().Be(100);
        Directory.GetFiles(Rescue).Select(Path.GetFileName).Should().BeEquivalentTo(InstanceLock.FileName, CheckpointStore.FileName, Path.GetFileName(file));
        var stops = _log.Messages(LogEventLevel.Warning).Count(m => m.StartsWith("recover stop", StringComparison.Ordinal));
        stops.Should().BeGreaterThan(1, "it was retried");
        _log.Messages(LogEventLevel.Information).Should().Contain(m => m.StartsWith("recover end:", StringComparison.Ordinal)
            && m.Contains($", {stops} attempts stopped by a failing target", StringComparison.Ordinal), "the failure counter is reported, not only kept");
    }

    [Fact]
    public async Task A_started_file_is_finished_before_newer_ones()
    {
        var older = new RescueFileBuilder().Entries(0, 10).WriteTo(Rescue, "a", T0);
        var newer = new RescueFileBuilder().Entries(100, 10).WriteTo(Rescue, "a", T0.AddSeconds(9));
        var size = new FileInfo(older).Length;
        var offset = File.ReadAllLines(older).Take(4).Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1);
        new CheckpointStore(Rescue, _log.Logger).Save(new FilePosition(Path.GetFileName(older), offset, 4, size, Clean: true));

        (await RunAsync()).Should().Be(ExitCodes.Success);

        Begun().Should().Equal(older, newer);
        _backends["a"].Ns.Should().Equal(4, 5, 6, 7, 8, 9, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
    }

    [Fact]
    public async Task An_orphaned_lock_file_is_adopted_at_start_and_replayed()
    {
        var orphan = new RescueFileBuilder().Entries(0, 4).Raw("{\"v\":1,\"f\":[[\"n\",\"i\",4").WriteTo(Rescue, "a", T0, isSealed: false);

        (await RunAsync()).Should().Be(ExitCodes.Success);

        _backends["a"].Ns.Should().Equal(0, 1, 2, 3);
        File.Exists(orphan).Should().BeFalse();
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.StartsWith($"adopt stale lock file {orphan}", StringComparison.Ordinal));
        RescueFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task A_checkpoint_for_a_file_that_is_gone_is_pruned()
    {
        Directory.CreateDirectory(Rescue);
        new CheckpointStore(Rescue, _log.Logger).Save(new FilePosition("a-2025-10-04_00:00:00.dat", 10, 1, 10));

        (await RunAsync()).Should().Be(ExitCodes.Success);

        File.Exists(Path.Combine(Rescue, CheckpointStore.FileName)).Should().BeFalse();
        _log.Messages(LogEventLevel.Information).Should().Contain(m => m.Contains("is no longer in"));
    }

    [Fact]
    public async Task A_second_instance_exits_1_at_once_with_a_clear_message()
    {
        new RescueFileBuilder().Entries(0, 2).WriteTo(Rescue, "a", T0);
        InstanceLock.TryAcquire(Rescue, out var first, out _).Should().BeTrue();
        using (first)
        {
            var code = await NewEngine(daemon: true).RunAsync(_stdout, _stderr, default);

            code.Should().Be(ExitCodes.RuntimeFailure);
        }

        _stderr.ToString().Should().StartWith("wprescue: another wprescue").And.Contain(Rescue);
        _backends["a"].Written.Should().BeEmpty();
        _log.Messages(LogEventLevel.Information).Should().NotContain("recover begin");
    }

    [Fact]
    public async Task A_daemon_keeps_scanning_replays_files_that_appear_and_exits_0_on_stop()
    {
        using var stop = new CancellationTokenSource();
        var run = NewEngine(daemon: true).RunAsync(_stdout, _stderr, stop.Token);
        await FireTimersUntilAsync(() => _log.Messages().Count(m => m == "recover begin") == 1, run);

        var late = new RescueFileBuilder().Entries(0, 5).WriteTo(Rescue, "b", T0);
        await FireTimersUntilAsync(() => _backends["b"].Written.Count == 5, run);
        await stop.CancelAsync();

        (await run.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(ExitCodes.Success);
        File.Exists(late).Should().BeFalse();
        _log.Messages(LogEventLevel.Information)[^1].Should().Be("recover end");
    }

    private RecoveryEngine NewEngine(bool daemon = false) =>
        new(new RecoveryOptions(_root.WorkRoot, daemon, null, false, null), _clock)
        {
            BackendFactory = (sink, _) => _backends[sink.Name],
            Logger = _log.Logger,
            RetryJitter = 0,
        };

    /// <summary>Runs a batch engine, firing each timer it waits on (stat windows excepted) until it exits.</summary>
    private async Task<int> RunAsync()
    {
        var run = NewEngine().RunAsync(_stdout, _stderr, default);
        await FireTimersUntilAsync(() => false, run);
        return await run;
    }

    private async Task FireTimersUntilAsync(Func<bool> done, Task run)
    {
        while (!done() && !run.IsCompleted)
        {
            var timer = _clock.NextTimerAsync();
            if (await Task.WhenAny(run, timer) != timer)
            {
                break;
            }

            var due = await timer;
            if (due > TimeSpan.Zero && due < TimeSpan.FromSeconds(30)) // the stat window (60 s) never fires
            {
                _clock.Advance(due);
            }
        }
    }

    private List<string> Begun() =>
        _log.Messages(LogEventLevel.Information)
            .Where(m => m.StartsWith("recover begin! file : ", StringComparison.Ordinal))
            .Select(m => m["recover begin! file : ".Length..])
            .ToList();

    private string[] RescueFiles() =>
        Directory.GetFiles(Rescue).Where(f => f.EndsWith(".dat", StringComparison.Ordinal) || f.EndsWith(".dat.lock", StringComparison.Ordinal)).ToArray();

    private void Project(string order = "newest", int checkpointEvery = 1000) => _root
        .Write("conf/wparse.toml", $"""
            version = "1.0"

            [rescue]
            order = "{order}"
            checkpoint_every_lines = {checkpointEvery}
            idle_exit_sec = 2
            """)
        .Write("conf/wpsrc.toml", """
            [[sources]]
            key = "file_1"
            connect = "file_src"
            """)
        .Write("sink/business.d/g.toml", """
            version = "2.0"

            [sink_group]
            name = "g"
            rule = ["/sys/*"]

            [[sink_group.sinks]]
            name = "a"
            connect = "file_kv_sink"
            params = { file = "a.dat" }

            [[sink_group.sinks]]
            name = "b"
            connect = "file_kv_sink"
            params = { file = "b.dat" }
            """);
}
