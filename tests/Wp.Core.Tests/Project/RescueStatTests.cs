using System.Text.Json;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Project;

public sealed class RescueStatTests
{
    private const string Sealed = "data/rescue/example_file_sink-2026-01-02_03:04:05.dat";
    private const string SealedSeq = "data/rescue/example_file_sink-2026-01-02_03:04:05-1.dat";
    private const string Open = "data/rescue/example_file_sink-2026-01-02_03:04:07.dat.lock";
    private const string Orphan = "data/rescue/example_file_sink-2026-01-02_03:04:06.dat.lock";
    private const string NoSink = "data/rescue/gone_sink-2026-01-02_03:04:00.dat";
    private const string BadName = "data/rescue/notes.dat";

    private static TempWorkRoot WithRescue([System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        TempWorkRoot.Create(caller).Initialised()
            .Write(Sealed, "{}\n{}\n{}\n")
            .Write(SealedSeq, "{}\n")
            .Write(Open, "{}\n{}\n")
            .Write(Orphan, "{}\n{}\n{\"torn")
            .Write(NoSink, "{}\n")
            .Write(BadName, "x\n")
            .Write("data/rescue/recover.lock", "{\"file\":\"example_file_sink-2026-01-02_03:04:05.dat\",\"offset\":3,\"lines\":1}");

    private static string Stat(TempWorkRoot root, bool json = false)
    {
        var output = new StringWriter();
        RescueStat.Run(root.WorkRoot, json, output, ConsoleStyle.Plain).Should().Be(0);
        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Lists_sealed_open_orphaned_and_unroutable_files_with_lines_bytes_and_the_checkpoint()
    {
        using var root = WithRescue();
        using var writer = new FileStream(root.PathOf(Open), FileMode.Open, FileAccess.Write, FileShare.None);

        Stat(root).Should().Be("""
            rescue_root: data/rescue
            STATE       LINES  BYTES  FILE
            unroutable      1      3  gone_sink-2026-01-02_03:04:00.dat
            sealed          3      9  example_file_sink-2026-01-02_03:04:05.dat
            sealed          1      3  example_file_sink-2026-01-02_03:04:05-1.dat
            orphaned        3     12  example_file_sink-2026-01-02_03:04:06.dat.lock
            open            -      6  example_file_sink-2026-01-02_03:04:07.dat.lock
            unroutable      1      2  notes.dat
            ----------  -----  -----  ----------------------------------------------
            total           9     35
            6 files: 2 sealed, 1 open, 1 orphaned, 2 unroutable
            lines '-': the file is held by a live writer and cannot be read now
            unroutable gone_sink-2026-01-02_03:04:00.dat: no sink named 'gone_sink'
            unroutable notes.dat: name is not <sink>-<yyyy-MM-dd_HH:mm:ss>[-<seq>].dat
            checkpoint: example_file_sink-2026-01-02_03:04:05.dat at byte 3 of 9

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Without_a_lock_holder_an_open_name_is_orphaned()
    {
        using var root = WithRescue();

        var json = JsonDocument.Parse(Stat(root, json: true)).RootElement;

        json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("state").GetString())
            .Should().Equal("unroutable", "sealed", "sealed", "orphaned", "orphaned", "unroutable");
    }

    [Fact]
    public void Json_lists_each_file_with_totals_and_the_checkpoint()
    {
        using var root = WithRescue();
        using var writer = new FileStream(root.PathOf(Open), FileMode.Open, FileAccess.Write, FileShare.None);

        using var doc = JsonDocument.Parse(Stat(root, json: true));

        var json = doc.RootElement;
        json.GetProperty("work_root").GetString().Should().Be(root.FullPath);
        json.GetProperty("rescue_root").GetString().Should().Be("data/rescue");
        var files = json.GetProperty("files").EnumerateArray().ToList();
        files.Should().HaveCount(6);
        var sealedSeq = files[2];
        sealedSeq.GetProperty("file").GetString().Should().Be("example_file_sink-2026-01-02_03:04:05-1.dat");
        sealedSeq.GetProperty("state").GetString().Should().Be("sealed");
        sealedSeq.GetProperty("sink").GetString().Should().Be("example_file_sink");
        sealedSeq.GetProperty("time_utc").GetString().Should().Be("2026-01-02T03:04:05Z");
        sealedSeq.GetProperty("seq").GetInt32().Should().Be(1);
        sealedSeq.GetProperty("lines").GetInt64().Should().Be(1);
        sealedSeq.GetProperty("bytes").GetInt64().Should().Be(3);
        sealedSeq.GetProperty("reason").ValueKind.Should().Be(JsonValueKind.Null);
        var open = files[4];
        open.GetProperty("state").GetString().Should().Be("open");
        open.GetProperty("lines").ValueKind.Should().Be(JsonValueKind.Null);
        var badName = files[5];
        badName.GetProperty("sink").ValueKind.Should().Be(JsonValueKind.Null);
        badName.GetProperty("time_utc").ValueKind.Should().Be(JsonValueKind.Null);
        badName.GetProperty("reason").GetString().Should().StartWith("name is not");

        var totals = json.GetProperty("totals");
        totals.GetProperty("files").GetInt32().Should().Be(6);
        totals.GetProperty("lines").GetInt64().Should().Be(9);
        totals.GetProperty("bytes").GetInt64().Should().Be(35);
        (totals.GetProperty("sealed").GetInt32(), totals.GetProperty("open").GetInt32(), totals.GetProperty("orphaned").GetInt32(), totals.GetProperty("unroutable").GetInt32())
            .Should().Be((2, 1, 1, 2));

        var checkpoint = json.GetProperty("checkpoint");
        checkpoint.GetProperty("status").GetString().Should().Be("ok");
        checkpoint.GetProperty("file").GetString().Should().Be("example_file_sink-2026-01-02_03:04:05.dat");
        checkpoint.GetProperty("offset").GetInt64().Should().Be(3);
        checkpoint.GetProperty("file_bytes").GetInt64().Should().Be(9);
        checkpoint.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("not json", "checkpoint: unreadable (not JSON: ")]
    [InlineData("{\"file\": 3}", "checkpoint: unreadable (not a JSON object with \"file\" and \"offset\")")]
    [InlineData("{\"file\": \"gone.dat\", \"offset\": 10}", "checkpoint: gone.dat at byte 10 (file no longer present)")]
    public void A_checkpoint_that_does_not_parse_is_shown_as_unreadable(string content, string expected)
    {
        using var root = TempWorkRoot.Create().Initialised().Write("data/rescue/recover.lock", content);

        Stat(root).Should().Contain(expected);
        using var doc = JsonDocument.Parse(Stat(root, json: true));
        doc.RootElement.GetProperty("checkpoint").GetProperty("status").GetString().Should().Be(expected.Contains("unreadable") ? "unreadable" : "ok");
    }

    [Fact]
    public void An_empty_rescue_folder_says_so_and_has_no_checkpoint()
    {
        using var root = TempWorkRoot.Create().Initialised();

        Stat(root).Should().Be("rescue_root: data/rescue\nno rescue files\ncheckpoint: none\n");
        using var doc = JsonDocument.Parse(Stat(root, json: true));
        doc.RootElement.GetProperty("files").GetArrayLength().Should().Be(0);
        doc.RootElement.GetProperty("checkpoint").ValueKind.Should().Be(JsonValueKind.Null);
    }
    [Fact]
    public async Task Symlinks_and_fifos_in_the_rescue_folder_are_never_followed_or_counted()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks and FIFOs: Unix only
        }

        using var root = TempWorkRoot.Create().Initialised()
            .Write("outside/records.dat", "{}\n{}\n{}\n")
            .Write("outside/recover.lock", "{\"file\":\"example_file_sink-2026-01-02_03:04:05.dat\",\"offset\":3,\"lines\":1}")
            .Write(SealedSeq, "{}\n");
        var outside = root.PathOf("outside/records.dat");
        File.CreateSymbolicLink(root.PathOf(Sealed), outside);
        File.CreateSymbolicLink(root.PathOf(Orphan), outside);
        File.CreateSymbolicLink(root.PathOf("data/rescue/recover.lock"), root.PathOf("outside/recover.lock"));
        using (var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [root.PathOf(Open)]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.Should().Be(0);
        }

        // Opening the FIFO would block for ever: the guard turns that old behaviour into a failure, not a hang.
        var text = (await Task.Run(() => Stat(root)).WaitAsync(TimeSpan.FromSeconds(30))).Replace('\n', ' '); // long lines wrap
        using var doc = JsonDocument.Parse(await Task.Run(() => Stat(root, json: true)).WaitAsync(TimeSpan.FromSeconds(30)));

        text.Should().Contain("unroutable example_file_sink-2026-01-02_03:04:05.dat: a symbolic link: wprescue replays only regular files in the rescue folder")
            .And.Contain("unroutable example_file_sink-2026-01-02_03:04:07.dat.lock: not a regular file (FIFO, socket or device): wprescue replays only regular files")
            .And.Contain("checkpoint: unreadable (it is a symbolic link, not a regular file)");
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Select(f => (f.GetProperty("file").GetString(), f.GetProperty("state").GetString(), f.GetProperty("lines").GetInt64(), f.GetProperty("bytes").GetInt64()))
            .Should().Equal(
                ("example_file_sink-2026-01-02_03:04:05.dat", "unroutable", 0L, 0L),
                ("example_file_sink-2026-01-02_03:04:05-1.dat", "sealed", 1L, 3L),
                ("example_file_sink-2026-01-02_03:04:06.dat.lock", "unroutable", 0L, 0L),
                ("example_file_sink-2026-01-02_03:04:07.dat.lock", "unroutable", 0L, 0L));
        var totals = doc.RootElement.GetProperty("totals");
        (totals.GetProperty("lines").GetInt64(), totals.GetProperty("bytes").GetInt64()).Should().Be((1L, 3L)); // only the one regular file
        root.Read("outside/records.dat").Should().Be("{}\n{}\n{}\n");
    }
}
