using System.Text;
using Wp.Cli.Tests.Support;
using Wp.Core.Rescue;

namespace Wp.Cli.Tests.Interruption;

/// <summary>SPEC §8: a failing sink diverts to rescue files and loses nothing (issue 3).</summary>
[Collection(E2eCollection.Name)]
public sealed class InterruptionTests
{
    private const string Sink = "benchmark_file_sink";
    private const int BenchmarkRecords = 6667; // of 10,000 generated lines (2 of every 3 samples)

    private static readonly Dictionary<string, string> FastPhases = new()
    {
        ["WP_TEST_RESCUE_UP_MS"] = "1500",
        ["WP_TEST_RESCUE_DOWN_MS"] = "1500",
    };

    private static readonly Dictionary<string, string> AlwaysDown = new()
    {
        ["WP_TEST_RESCUE_UP_MS"] = "0",
        ["WP_TEST_RESCUE_DOWN_MS"] = "1000",
    };

    [Fact]
    public async Task A_speed_limited_run_over_several_outages_keeps_every_record_in_the_sink_or_sealed_rescue_files()
    {
        using var root = new UsecaseCopy();
        await Generate(root, 10_000);

        // The usecase's speed_limit (1000 lines/s) makes this run ~10 s: three 1.5 s outages.
        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch"], TimeSpan.FromMinutes(2), FastPhases);

        run.ExitCode.Should().Be(0, run.ToString());
        var sealedFiles = root.RescueFiles(Sink);
        sealedFiles.Should().HaveCountGreaterThanOrEqualTo(2, "the run spans several down phases");
        root.RescueFiles(Sink, ".dat.lock").Should().BeEmpty("every rescue file is sealed at exit");
        var delivered = root.Lines("data/out_dat/benchmark.dat").Length;
        var rescued = sealedFiles.Sum(f => DecodeAll(f).Count);
        delivered.Should().BeGreaterThan(0);
        (delivered + rescued).Should().Be(BenchmarkRecords);
        var log = File.ReadAllText(root.PathOf("logs/wparse.log"));
        log.Should().Contain($"sink {Sink} failed: ").And.Contain("; diverting to ").And.Contain($"sink {Sink} reconnect success");
        run.StdOut.Should().MatchRegex(@"rescue\s+benchmark_file_sink");
    }

    [Fact]
    public async Task While_one_group_is_down_the_other_groups_receive_every_record()
    {
        using var root = new UsecaseCopy();
        await Generate(root, 3000);

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"], env: AlwaysDown);

        run.ExitCode.Should().Be(0, run.ToString());
        root.Lines("data/out_dat/benchmark.dat").Should().BeEmpty();
        root.RescueFiles(Sink).Sum(f => DecodeAll(f).Count).Should().Be(2000);
        root.Lines("data/out_dat/example_1.dat").Should().HaveCount(1000);
        root.Lines("data/out_dat/example_2.dat").Should().HaveCount(1000);
    }

    [Fact]
    public async Task Tolerant_sends_failed_batches_to_the_error_group_with_the_reason()
    {
        using var root = new UsecaseCopy();
        root.SetBenchmarkOnError("tolerant");
        await Generate(root, 3000);

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"], env: AlwaysDown);

        run.ExitCode.Should().Be(0, run.ToString());
        var errors = root.Lines("data/out_dat/error.dat");
        errors.Should().HaveCount(2000);
        errors.Should().OnlyContain(line => line.Contains($"wp_error: \"sink {Sink} failed: ", StringComparison.Ordinal));
        root.RescueFiles(Sink).Should().BeEmpty();
    }

    [Fact]
    public async Task Throw_stops_with_a_non_zero_exit_naming_the_sink_and_leaves_no_open_rescue_file()
    {
        using var root = new UsecaseCopy();
        root.SetBenchmarkOnError("throw");
        await Generate(root, 3000);

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"], env: AlwaysDown);

        run.ExitCode.Should().Be(1, run.ToString());
        run.StdErr.Should().Contain(Sink);
        root.RescueFiles(Sink, ".dat.lock").Should().BeEmpty();
        var example = root.Lines("data/out_dat/example_1.dat");
        example.Should().NotBeEmpty("other sinks are flushed before exit");
        root.Lines("data/out_dat/example_2.dat").Should().HaveCount(example.Length);
    }

    [Fact]
    public async Task An_unwritable_rescue_folder_while_the_sink_is_down_is_a_clear_error_that_counts_what_was_not_stored()
    {
        using var root = new UsecaseCopy();
        // A regular file where a folder must be: fails even for root, unlike chmod.
        root.Write("data/blocker", "not a folder");
        root.Edit("conf/wparse.toml", "rescue_root   = \"./data/rescue\"", "rescue_root   = \"./data/blocker/rescue\"");
        await Generate(root, 3000);

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"], env: AlwaysDown);

        run.ExitCode.Should().Be(1, run.ToString());
        run.StdErr.Should().Contain(Sink).And.Contain("blocker").And.MatchRegex(@"\d+ records not stored");
        File.ReadAllText(root.PathOf("logs/wparse.log")).Should().MatchRegex(@"\d+ records routed to it were not stored");
    }

    [Fact]
    public async Task Kill_9_during_an_outage_leaves_a_lock_file_of_valid_entries_except_perhaps_a_torn_last_line()
    {
        using var root = new UsecaseCopy();
        await Generate(root, 3000);
        using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon", "--speed-limit", "2000"], AlwaysDown);
        await Eventually.Async(() => root.RescueFiles(Sink, ".dat.lock").Length == 1 && new FileInfo(root.RescueFiles(Sink, ".dat.lock")[0]).Length > 50_000, daemon);

        daemon.Signal(ToolProcess.SigKill);
        await daemon.WaitAsync(TimeSpan.FromSeconds(10));

        var lockFile = root.RescueFiles(Sink, ".dat.lock").Should().ContainSingle().Subject;
        var lines = File.ReadAllBytes(lockFile).AsSpan();
        var complete = lines[..(lines.LastIndexOf((byte)'\n') + 1)];
        var entries = Encoding.UTF8.GetString(complete).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        entries.Should().NotBeEmpty();
        entries.Where(e => !IsEntry(e)).Should().BeEmpty();
    }

    private static async Task Generate(UsecaseCopy root, int lines)
    {
        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["sample", "-n", lines.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        gen.ExitCode.Should().Be(0, gen.ToString());
    }

    private static bool IsEntry(string line) => RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out _, out _);

    private static List<string> DecodeAll(string file)
    {
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        lines.Where(l => !IsEntry(l)).Should().BeEmpty($"{file} holds only valid entries");
        return lines;
    }
}
