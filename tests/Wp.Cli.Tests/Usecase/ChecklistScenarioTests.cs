using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Wp.Cli.Tests.Support;
using Wp.Cli.Tests.Wprescue;

namespace Wp.Cli.Tests.Usecase;

/// <summary>
/// The seed's robustness checklist items that no other e2e class covers (the usecase README maps
/// every item to its test).
/// </summary>
[Collection(E2eCollection.Name)]
public sealed partial class ChecklistScenarioTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_low_speed_limit_of_10_lines_per_second_paces_the_replay()
    {
        using var c = new RescueCase();
        c.SetEngineKey("idle_exit_sec", "0");
        c.WriteRescueFile(T0, RescueCase.Records(0, 30));

        var clock = Stopwatch.StartNew();
        var run = await c.WprescueAsync(["batch", "--speed-limit", "10"]);
        clock.Stop();

        run.ExitCode.Should().Be(0, run.ToString());
        c.TargetLines().Should().HaveCount(30);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.8), "30 lines at 10 lines/s take 2.9 s at least");
    }

    [Fact]
    public async Task A_high_speed_limit_replays_everything()
    {
        using var c = new RescueCase();
        var records = RescueCase.Records(0, 50_000).ToList();
        c.WriteRescueFile(T0, records);

        var run = await c.WprescueAsync(["batch", "--speed-limit", "1000000"]);

        run.ExitCode.Should().Be(0, run.ToString());
        RescueCase.Multiset(c.TargetLines()).Should().BeEquivalentTo(RescueCase.Multiset(RescueCase.KvLines(records)));
    }

    [Theory]
    [InlineData("60000", "1000", 0)] // lengthened: the sink never goes down during the run
    [InlineData("250", "250", 2)]    // shortened: many short outages, several rescue files
    public async Task Test_rescue_phases_set_through_the_environment_change_the_outages_but_never_the_record_count(string upMs, string downMs, int minFiles)
    {
        using var root = new UsecaseCopy();
        (await ToolProcess.RunAsync("wpgen", root.Root, ["sample", "-n", "3000"])).ExitCode.Should().Be(0);
        var env = new Dictionary<string, string> { ["WP_TEST_RESCUE_UP_MS"] = upMs, ["WP_TEST_RESCUE_DOWN_MS"] = downMs };

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "1000"], env: env);

        run.ExitCode.Should().Be(0, run.ToString());
        var files = root.RescueFiles("benchmark_file_sink");
        if (minFiles == 0)
        {
            files.Should().BeEmpty();
        }
        else
        {
            files.Should().HaveCountGreaterThanOrEqualTo(minFiles);
        }

        var rescued = files.Sum(f => File.ReadAllLines(f).Length);
        (root.Lines("data/out_dat/benchmark.dat").Length + rescued).Should().Be(2000);
    }

    [Fact]
    public async Task Monitor_records_follow_the_recovery_progress()
    {
        using var c = new RescueCase();
        c.WriteRescueFile(T0, RescueCase.Records(0, 4000));
        using var daemon = c.StartWprescue(["daemon", "--stat", "1", "--speed-limit", "1000"]);
        await Eventually.Async(() => c.TargetLines().Length == 4000, daemon);
        await Eventually.Async(() => SinkTotals(c).Distinct().Count() >= 3, daemon);

        daemon.Signal(ToolProcess.SigUsr1);
        (await daemon.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);

        var totals = SinkTotals(c);
        totals.Should().BeInAscendingOrder("each window reports the records delivered so far");
        totals[^1].Should().Be(4000);
    }

    /// <summary>The success counts of wprescue's monitor records for the benchmark sink, in file order.</summary>
    private static List<long> SinkTotals(RescueCase c) =>
        c.Root.Lines("data/out_dat/monitor.dat")
            .Select(l => MonitorSinkRow().Match(l))
            .Where(m => m.Success)
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();

    [GeneratedRegex("""tool: "wprescue", stage: "sink", name: "benchmark_file_sink", .*success: (\d+)""")]
    private static partial Regex MonitorSinkRow();
}
