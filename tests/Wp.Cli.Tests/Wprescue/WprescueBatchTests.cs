using System.Diagnostics;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wprescue;

[Collection(E2eCollection.Name)]
public sealed class WprescueBatchTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 4, 1, 59, 24, TimeSpan.Zero);
    private static readonly Dictionary<string, string> TargetAlwaysUp = new() { ["WP_TEST_RESCUE_DOWN_MS"] = "0" };

    [Fact]
    public async Task Full_cycle_after_an_interrupted_run_the_target_holds_exactly_the_lines_of_a_run_that_never_failed()
    {
        using var reference = new RescueCase(tag: "-ref");
        using var interrupted = new RescueCase(tag: "-cut");
        var gen = await ToolProcess.RunAsync("wpgen", reference.Root.Root, ["sample", "-n", "10000"]);
        gen.ExitCode.Should().Be(0, gen.ToString());
        File.Copy(reference.Root.PathOf("data/in_dat/gen.dat"), interrupted.Root.PathOf("data/in_dat/gen.dat").EnsureFolder());

        var clean = await ToolProcess.RunAsync("wparse", reference.Root.Root, ["batch"]);
        clean.ExitCode.Should().Be(0, clean.ToString());
        interrupted.UseSink("file_rescue_sink", "up_ms = 300, down_ms = 300");
        var broken = await ToolProcess.RunAsync("wparse", interrupted.Root.Root, ["batch", "--speed-limit", "5000"]);
        broken.ExitCode.Should().Be(0, broken.ToString());
        interrupted.RescueFiles().Should().NotBeEmpty().And.OnlyContain(f => f.StartsWith(RescueCase.Sink + "-", StringComparison.Ordinal) && f.EndsWith(".dat", StringComparison.Ordinal));

        var recovery = await interrupted.WprescueAsync(["batch"], TargetAlwaysUp);

        recovery.ExitCode.Should().Be(0, recovery.ToString());
        interrupted.RescueFiles().Should().BeEmpty();
        File.Exists(interrupted.CheckpointPath).Should().BeFalse();
        var expected = reference.TargetLines();
        expected.Should().HaveCount(6667);
        RescueCase.Multiset(interrupted.TargetLines()).Should().Equal(RescueCase.Multiset(expected));
        var log = interrupted.Log;
        log.Should().Contain("recover begin").And.Contain("recover file: ").And.Contain("recover begin! file : ")
            .And.Contain("recover end! clean file : ").And.Contain("recover end");
        recovery.StdOut.Should().Contain("-- wprescue total --");
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("oldest")]
    public async Task Several_files_are_replayed_in_time_order_and_each_is_deleted(string order)
    {
        using var c = new RescueCase();
        c.SetEngineKey("order", $"\"{order}\"");
        var a = c.WriteRescueFile(T0, RescueCase.Records(0, 100));
        var b = c.WriteRescueFile(T0.AddSeconds(1), RescueCase.Records(100, 100));
        var d = c.WriteRescueFile(T0.AddSeconds(1), RescueCase.Records(200, 100)); // same second: seq 1
        Path.GetFileName(d).Should().EndWith("-1.dat");

        var run = await c.WprescueAsync(["batch"]);

        run.ExitCode.Should().Be(0, run.ToString());
        var files = order == "newest" ? new[] { d, b, a } : [a, b, d];
        var begun = c.Log.Split('\n').Where(l => l.Contains("recover begin! file : ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("recover begin! file : ", StringComparison.Ordinal) + 22)..].TrimEnd()).ToList();
        begun.Should().Equal(files);
        var firsts = order == "newest" ? new long[] { 200, 100, 0 } : [0, 100, 200];
        c.TargetLines().Should().Equal(firsts.SelectMany(f => RescueCase.KvLines(RescueCase.Records(f, 100))));
        c.RescueFiles().Should().BeEmpty();
        foreach (var file in files)
        {
            c.Log.Should().Contain("recover end! clean file : " + file);
        }
    }

    [Fact]
    public async Task Blank_and_invalid_lines_are_skipped_counted_and_quarantined_and_the_file_completes()
    {
        using var c = new RescueCase();
        var path = c.WriteRescueFile(T0, RescueCase.Records(0, 10));
        var lines = File.ReadAllLines(path).ToList();
        lines.Insert(3, string.Empty);
        lines.Insert(5, "not an entry");
        lines.Insert(8, "   ");
        lines.Insert(9, "{\"v\":1,\"f\":[[\"n\",\"q\",1]]}");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var run = await c.WprescueAsync(["batch"]);

        run.ExitCode.Should().Be(0, run.ToString());
        c.TargetLines().Should().Equal(RescueCase.KvLines(RescueCase.Records(0, 10)));
        File.Exists(path).Should().BeFalse();
        var bad = File.ReadAllLines(Path.Combine(c.RescueDir, "bad", Path.GetFileName(path) + ".bad"));
        bad.Select(l => l.Split('\t')[0]).Should().Equal("6", "10");
        bad[0].Should().EndWith("\tnot an entry");
        c.Log.Should().Contain("10 records sent, 2 blank lines skipped, 2 bad lines skipped").And.Contain("blank line 4 skipped");
    }

    [Fact]
    public async Task A_file_for_an_unknown_sink_is_skipped_with_an_error_line_the_others_are_replayed_and_batch_exits_5()
    {
        using var c = new RescueCase();
        var ghost = c.WriteRescueFile(T0.AddSeconds(5), RescueCase.Records(0, 10), sink: "ghost_sink");
        c.WriteRescueFile(T0, RescueCase.Records(0, 10));

        var run = await c.WprescueAsync(["batch"]);

        run.ExitCode.Should().Be(5, run.ToString());
        c.TargetLines().Should().HaveCount(10);
        c.RescueFiles().Should().Equal(Path.GetFileName(ghost));
        c.Log.Should().Contain($"recover skip: {ghost}: no sink named ghost_sink");
        run.StdErr.Should().Contain($"recover skip: {ghost}: no sink named ghost_sink")
            .And.Contain("wprescue: 1 rescue file(s) left unreplayed");
    }

    [Fact]
    public async Task Repeated_batch_runs_leave_the_target_unchanged_once_the_folder_is_empty()
    {
        using var c = new RescueCase();
        c.WriteRescueFile(T0, RescueCase.Records(0, 500));
        (await c.WprescueAsync(["batch"])).ExitCode.Should().Be(0);
        var after = File.ReadAllBytes(c.TargetPath);

        for (var i = 0; i < 2; i++)
        {
            var again = await c.WprescueAsync(["batch"]);
            again.ExitCode.Should().Be(0, again.ToString());
        }

        File.ReadAllBytes(c.TargetPath).Should().Equal(after);
        c.TargetLines().Should().HaveCount(500);
    }

    [Fact]
    public async Task The_speed_limit_is_honoured()
    {
        using var c = new RescueCase();
        c.SetEngineKey("idle_exit_sec", "0");
        c.WriteRescueFile(T0, RescueCase.Records(0, 20_000));

        var clock = Stopwatch.StartNew();
        var run = await c.WprescueAsync(["batch", "--speed-limit", "10000"]);
        clock.Stop();

        run.ExitCode.Should().Be(0, run.ToString());
        c.TargetLines().Should().HaveCount(20_000);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9), "20,000 lines at 10,000 lines/s take 2 s at least");
    }

    [Fact]
    public async Task Help_is_available_on_every_command()
    {
        foreach (var args in new[] { new[] { "--help" }, ["daemon", "--help"], ["work", "--help"], ["batch", "--help"] })
        {
            var run = await ToolProcess.RunAsync("wprescue", Path.GetTempPath(), args);

            run.ExitCode.Should().Be(0, run.ToString());
            run.StdOut.Should().Contain("Usage");
            if (args.Length > 1)
            {
                run.StdOut.Should().Contain("--work-root").And.Contain("--stat").And.Contain("--print-stat").And.Contain("--speed-limit");
            }
        }
    }

    [Fact]
    public async Task A_bad_work_root_exits_3()
    {
        var empty = Directory.CreateTempSubdirectory("wp-e2e-empty").FullName;

        var run = await ToolProcess.RunAsync("wprescue", empty, ["batch"]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.StdErr.Should().Contain("wparse.toml");
        Directory.Delete(empty, true);
    }
}
