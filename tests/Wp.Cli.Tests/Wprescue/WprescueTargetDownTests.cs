using System.Text.RegularExpressions;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wprescue;

/// <summary>The target fails during replay: the file stays at its checkpoint, is retried with backoff, and completes once the target is back.</summary>
[Collection(E2eCollection.Name)]
public sealed partial class WprescueTargetDownTests
{
    private const int CheckpointEvery = 500;
    private static readonly DateTimeOffset T0 = new(2025, 10, 4, 1, 59, 24, TimeSpan.Zero);

    [Fact]
    public async Task A_test_rescue_target_that_goes_down_and_up_gets_every_record_and_no_rescue_file_is_created()
    {
        using var c = new RescueCase();
        // Down phases shorter than the first two retry waits, so a retry always finds the target back
        // (the retry policy itself is unit-tested; this checks the processes end to end).
        c.UseSink("file_rescue_sink", "up_ms = 700, down_ms = 300");
        c.SetEngineKey("checkpoint_every_lines", CheckpointEvery.ToString(System.Globalization.CultureInfo.InvariantCulture));
        c.SetEngineKey("idle_exit_sec", "3");
        var file = c.WriteRescueFile(T0, RescueCase.Records(0, 10_000));
        var expected = RescueCase.Multiset(RescueCase.KvLines(RescueCase.Records(0, 10_000)));

        using var run = c.StartWprescue(["batch", "--speed-limit", "4000"], new Dictionary<string, string>
        {
            ["WP_TEST_RESCUE_UP_MS"] = "700",
            ["WP_TEST_RESCUE_DOWN_MS"] = "300",
        });
        var seen = await WatchRescueFilesAsync(c, run);
        var code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(0, run.StdErr + "\nlog:\n" + c.Log);
        seen.Should().Equal(Path.GetFileName(file));
        var stops = StopLines().Matches(c.Log).Select(m => long.Parse(m.Groups[1].Value)).ToList();
        stops.Should().NotBeEmpty("the target went down during the replay");
        stops.Should().Contain(l => l > 0, "the file stayed at a checkpoint it had reached");
        var target = RescueCase.Multiset(c.TargetLines());
        target.Keys.Should().BeEquivalentTo(expected.Keys, "no record is lost");
        (target.Values.Sum() - expected.Values.Sum()).Should().BeInRange(0, CheckpointEvery * stops.Count);
        c.RescueFiles().Should().BeEmpty();
        File.Exists(c.CheckpointPath).Should().BeFalse();
    }

    [Fact]
    public async Task A_target_path_that_cannot_be_written_is_retried_with_growing_waits_and_completes_once_it_can()
    {
        using var c = new RescueCase();
        c.UseSink("file_kv_sink", "base = \"./data/out_dat/blocked\"");
        var blocker = c.Root.PathOf("data/out_dat/blocked").EnsureFolder();
        File.WriteAllText(blocker, "a regular file where the target folder should be");
        var file = c.WriteRescueFile(T0, RescueCase.Records(0, 2000));

        using var daemon = c.StartWprescue(["daemon"]);
        await Eventually.Async(() => RetryDelays(c).Count >= 3, daemon);

        var delays = RetryDelays(c).Take(3).ToList();
        delays[0].Should().BeInRange(200, 300);
        delays[1].Should().BeInRange(400, 600);
        delays[2].Should().BeInRange(800, 1200);
        File.Exists(file).Should().BeTrue();
        c.RescueFiles().Should().Equal([Path.GetFileName(file)], "wprescue never writes rescue files");
        c.Log.Should().Contain("target failed: sink benchmark_file_sink failed");

        File.Delete(blocker);
        await Eventually.Async(() => c.RescueFiles().Length == 0, daemon);
        daemon.Signal(10);
        (await daemon.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, daemon.StdErr);

        c.Root.Lines("data/out_dat/blocked/benchmark.dat").Should().Equal(RescueCase.KvLines(RescueCase.Records(0, 2000)));
    }

    /// <summary>Polls the rescue folder until the process exits; returns every data file name seen.</summary>
    private static async Task<string[]> WatchRescueFilesAsync(RescueCase c, ToolProcess process)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var exited = process.WaitAsync(TimeSpan.FromSeconds(60));
        while (!exited.IsCompleted)
        {
            seen.UnionWith(c.RescueFiles());
            await Task.WhenAny(exited, Task.Delay(20));
        }

        return [.. seen];
    }

    private static List<long> RetryDelays(RescueCase c) =>
        RetryLines().Matches(c.Log).Select(m => long.Parse(m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"recover stop \S+ at line (\d+) \(byte \d+\): target failed")]
    private static partial Regex StopLines();

    [GeneratedRegex(@"retrying sink benchmark_file_sink in (\d+) ms")]
    private static partial Regex RetryLines();
}
