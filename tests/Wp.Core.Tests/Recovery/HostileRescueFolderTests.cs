using System.Diagnostics;
using Serilog.Events;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Recovery;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

/// <summary>
/// Issue 12: wprescue only ever opens, adopts, quarantines or deletes regular files directly in
/// rescue_root; growing files wait; checkpoints that do not fit or cannot be saved never crash and never
/// re-send. The "rescue-file names and contents" fuzz category: every hostile entry is a row of a table.
/// </summary>
public sealed class HostileRescueFolderTests : IDisposable
{
    private static readonly DateTime T0 = new(2025, 10, 4, 1, 0, 0, DateTimeKind.Utc);
    private readonly TempWorkRoot _root = TempWorkRoot.Create();
    private readonly TempDir _outside = new();
    private readonly TimerCountingTimeProvider _clock = new(new DateTimeOffset(2025, 10, 4, 2, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _log = new();
    private readonly RecordingBackend _backend = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public HostileRescueFolderTests() => Project();

    private string Rescue => _root.PathOf("data/rescue");

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    /// <summary>Hostile entries named like rescue files: what they are, and the name they get.</summary>
    public static TheoryData<string, bool> HostileEntries => new()
    {
        { "symlink-to-outside-file", true },
        { "symlink-to-outside-file", false },
        { "symlink-to-dev-zero", true },
        { "symlink-to-dev-zero", false },
        { "fifo", true },
        { "fifo", false },
        { "folder", true },
        { "folder", false },
        { "dangling-symlink", true },
        { "dangling-symlink", false },
    };

    [Theory]
    [MemberData(nameof(HostileEntries))]
    public async Task A_non_regular_rescue_file_is_skipped_with_one_error_and_never_opened(string kind, bool isSealed)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks and FIFOs: Unix only
        }

        var outsideFile = _outside.Combine("precious.txt");
        File.WriteAllText(outsideFile, "do not touch\n");
        var good = new RescueFileBuilder().Entries(0, 3).WriteTo(Rescue, "a", T0);
        var name = new RescueFileName("a", T0.AddSeconds(5), 0, isSealed).ToString();
        var hostile = Path.Combine(Rescue, name);
        Make(kind, hostile, outsideFile);

        var code = await RunAsync();

        _backend.Ns.Should().Equal(0, 1, 2);
        File.Exists(good).Should().BeFalse("the regular file is replayed and deleted");
        File.ReadAllText(outsideFile).Should().Be("do not touch\n");
        Directory.Exists(Path.Combine(Rescue, "bad")).Should().BeFalse("nothing is read from it, so nothing is quarantined");
        PlainFiles.KindOf(hostile).Should().NotBe(EntryKind.Missing, "it is left where it is");
        _log.Messages(LogEventLevel.Error).Where(m => m.Contains(name, StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().StartWith("recover skip: ");
        code.Should().Be(isSealed ? ExitCodes.RescueLeft : ExitCodes.Success, _stderr.ToString());
    }

    [Fact]
    public async Task A_symlinked_lock_file_truncates_nothing_outside()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks and FIFOs: Unix only
        }

        var outsideFile = _outside.Combine("precious.txt");
        File.WriteAllText(outsideFile, "{\"v\":1} not a rescue entry\n");
        Directory.CreateDirectory(Rescue);
        File.CreateSymbolicLink(Path.Combine(Rescue, new RescueFileName("a", T0, 0, false).ToString()), outsideFile);

        await RunAsync();

        File.ReadAllText(outsideFile).Should().Be("{\"v\":1} not a rescue entry\n");
        Directory.GetFiles(Rescue).Should().NotContain(f => f.EndsWith(".dat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CheckpointStore.FileName)]
    [InlineData(InstanceLock.FileName)]
    [InlineData("bad")]
    public async Task Symlinked_bookkeeping_files_are_not_followed(string entry)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks and FIFOs: Unix only
        }

        var outsideFile = _outside.Combine("precious.txt");
        File.WriteAllText(outsideFile, "do not touch\n");
        Directory.CreateDirectory(Rescue);
        if (entry == "bad")
        {
            Directory.CreateSymbolicLink(Path.Combine(Rescue, "bad"), _outside.Path);
            new RescueFileBuilder().Entries(0, 2).Raw("garbage\n").WriteTo(Rescue, "a", T0);
        }
        else
        {
            File.CreateSymbolicLink(Path.Combine(Rescue, entry), entry == CheckpointStore.FileName ? "/dev/zero" : outsideFile);
            new RescueFileBuilder().Entries(0, 2).WriteTo(Rescue, "a", T0);
        }

        var code = await RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        File.ReadAllText(outsideFile).Should().Be("do not touch\n");
        _outside.FileNames().Should().Equal("precious.txt");
        if (entry == InstanceLock.FileName)
        {
            code.Should().Be(ExitCodes.RuntimeFailure);
            _stderr.ToString().Should().Contain("not a regular file");
        }
    }

    [Fact]
    public async Task A_checkpoint_that_cannot_be_saved_stops_the_file_without_re_sending_anything()
    {
        // Issue 12: recover.lock a folder → each retry re-sent the last chunk (400 records → 120 duplicates).
        Project(checkpointEvery: 100);
        new RescueFileBuilder().Entries(0, 400).WriteTo(Rescue, "a", T0);
        Directory.CreateDirectory(Path.Combine(Rescue, CheckpointStore.FileName));

        var code = await RunAsync();

        code.Should().Be(ExitCodes.RescueLeft);
        _backend.Ns.Should().OnlyHaveUniqueItems("a checkpoint fault never re-sends what was delivered");
        _backend.Ns.Count.Should().BeLessThanOrEqualTo(100);
        _log.Messages(LogEventLevel.Warning).Count(m => m.Contains("retrying in", StringComparison.Ordinal)).Should().BeGreaterThan(1, "it backs off and retries");
    }

    [Fact]
    public async Task A_checkpoint_that_fails_once_resumes_where_delivery_stopped_with_no_duplicates()
    {
        Project(checkpointEvery: 100);
        var file = new RescueFileBuilder().Entries(0, 400).WriteTo(Rescue, "a", T0);
        var folder = Path.Combine(Rescue, CheckpointStore.FileName);
        Directory.CreateDirectory(folder);

        // The fault clears once the first commit's save has failed and the file waits for its retry.
        var code = await RunAsync(onTimer: () =>
        {
            if (_backend.Written.Count > 0 && Directory.Exists(folder))
            {
                Directory.Delete(folder);
            }
        });

        code.Should().Be(ExitCodes.Success, _stderr.ToString());
        _backend.Ns.Should().Equal(Enumerable.Range(0, 400).Select(i => (long)i));
        File.Exists(file).Should().BeFalse();
    }

    [Fact]
    public async Task A_line_over_the_cap_is_quarantined_and_counted_and_the_rest_replayed()
    {
        var huge = new string('x', RescueLineReader.MaxLineBytes + 100);
        var file = new RescueFileBuilder().Entries(0, 2).Raw(huge + "\n").Entries(2, 2).Raw(huge).WriteTo(Rescue, "a", T0);

        var code = await RunAsync();

        code.Should().Be(ExitCodes.Success, _stderr.ToString());
        _backend.Ns.Should().Equal(0, 1, 2, 3);
        var bad = Path.Combine(Rescue, "bad", Path.GetFileName(file) + ".bad");
        new FileInfo(bad).Length.Should().BeLessThan(2L * (RescueLineReader.MaxLineBytes + 200));
        File.ReadLines(bad).Select(l => l.Split('\t')[0]).Should().Equal("3", "6");
        File.ReadLines(bad).First().Should().Contain("line longer than");
    }

    [Fact]
    public async Task A_file_that_grows_is_left_until_its_size_is_stable()
    {
        var file = new RescueFileBuilder().Entries(0, 3).WriteTo(Rescue, "a", T0);
        var appended = 0;
        var run = NewEngine().RunAsync(_stdout, _stderr, default);
        while (!run.IsCompleted)
        {
            var timer = _clock.NextTimerAsync();
            if (await Task.WhenAny(run, timer) != timer)
            {
                break;
            }

            var due = await timer;
            if (appended < 3 && _backend.Written.Count == 0)
            {
                // Still being copied in: another entry lands before each scan.
                File.AppendAllBytes(file, RescueFileBuilder.Encode(RescueFileBuilder.Entry(3 + appended)));
                File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
                appended++;
            }

            if (due > TimeSpan.Zero && due < TimeSpan.FromSeconds(30))
            {
                _clock.Advance(due);
            }
        }

        (await run).Should().Be(ExitCodes.Success, _stderr.ToString());
        _backend.Ns.Should().Equal(0, 1, 2, 3, 4, 5);
        _log.Messages().Should().Contain(m => m.Contains("is still changing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_grows_while_it_is_replayed_is_kept_and_never_re_sent()
    {
        // Issue 12: this crashed wprescue (invalid checkpoint position) and each restart re-sent the file.
        Project(checkpointEvery: 2);
        var file = new RescueFileBuilder().Entries(0, 6).WriteTo(Rescue, "a", T0);
        var older = new RescueFileBuilder().Entries(100, 2).WriteTo(Rescue, "a", T0.AddSeconds(-5));
        _backend.OnWrite = batch =>
        {
            if (batch.Any(r => r.Find("n")!.Value.Value.AsInt == 0))
            {
                File.AppendAllBytes(file, RescueFileBuilder.Encode(RescueFileBuilder.Entry(6)));
            }
        };

        var first = await RunAsync();
        _backend.OnWrite = null;
        var second = await RunAsync();

        first.Should().Be(ExitCodes.RescueLeft);
        second.Should().Be(ExitCodes.RescueLeft);
        _backend.Ns.Should().Equal(0, 1, 2, 3, 4, 5, 100, 101);
        File.Exists(file).Should().BeTrue("the appended record is still in it");
        File.Exists(older).Should().BeFalse("the other files are replayed");
        _log.Messages(LogEventLevel.Error).Should().Contain(m => m.Contains("recover skip: " + file, StringComparison.Ordinal));
    }

    private static void Make(string kind, string path, string outsideFile)
    {
        switch (kind)
        {
            case "symlink-to-outside-file":
                File.CreateSymbolicLink(path, outsideFile);
                break;
            case "symlink-to-dev-zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "dangling-symlink":
                File.CreateSymbolicLink(path, outsideFile + ".missing");
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "fifo":
                using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!)
                {
                    mkfifo.WaitForExit();
                    mkfifo.ExitCode.Should().Be(0);
                }

                break;
        }
    }

    private RecoveryEngine NewEngine() =>
        new(new RecoveryOptions(_root.WorkRoot, false, null, false, null), _clock)
        {
            BackendFactory = (_, _) => _backend,
            Logger = _log.Logger,
            RetryJitter = 0,
        };

    private async Task<int> RunAsync(Action? onTimer = null)
    {
        var run = NewEngine().RunAsync(_stdout, _stderr, default);
        while (!run.IsCompleted)
        {
            var timer = _clock.NextTimerAsync();
            if (await Task.WhenAny(run, timer) != timer)
            {
                break;
            }

            var due = await timer;
            onTimer?.Invoke();
            if (due > TimeSpan.Zero && due < TimeSpan.FromSeconds(30))
            {
                _clock.Advance(due);
            }
        }

        return await run;
    }

    private void Project(int checkpointEvery = 1000) => _root
        .Write("conf/wparse.toml", $"""
            version = "1.0"

            [rescue]
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
            """);
}
