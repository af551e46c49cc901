using Wp.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Wp.Cli.Tests.Positions;

/// <summary>SPEC §4.1: restarts never re-read and never skip (issue 11, done means 1 and 2).</summary>
[Collection(E2eCollection.Name)]
public sealed class RestartCampaignTests(ITestOutputHelper output)
{
    private const int SigHup = 1;
    private static readonly int[] GracefulSignals = [ToolProcess.SigInt, ToolProcess.SigTerm, ToolProcess.SigUsr1, SigHup];

    [Fact]
    public async Task Ten_graceful_stops_at_random_moments_then_a_batch_leave_every_line_in_the_sink_exactly_once()
    {
        var seed = Seed();
        var random = new Random(seed);
        using var root = new CampaignRoot(speedLimit: 4000);
        root.Append(2000);

        for (var round = 0; round < 10; round++)
        {
            var signal = GracefulSignals[random.Next(GracefulSignals.Length)];
            using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"]);
            await SignalReady.WaitAsync(daemon);
            if (random.Next(2) == 0)
            {
                root.Append(random.Next(100, 1500)); // the file grows while followed
            }

            await Task.Delay(random.Next(0, 700));
            daemon.Signal(signal);
            var code = await daemon.WaitAsync(TimeSpan.FromSeconds(60));
            code.Should().Be(0, $"seed {seed}, round {round}, signal {signal}\n{daemon.StdErr}");
            daemon.StdOut.Should().Contain("-- wparse total --", $"a final table at every graceful stop (seed {seed})");
            root.Append(random.Next(0, 1500)); // and between runs
        }

        var batch = await ToolProcess.RunAsync("wparse", root.Root, ["batch"]);
        batch.ExitCode.Should().Be(0, batch.ToString());

        var (missing, duplicates) = root.Tally();
        output.WriteLine($"seed {seed}: {root.Written} lines, {missing.Count} missing, {duplicates} duplicates");
        missing.Should().BeEmpty($"seed {seed}");
        duplicates.Should().Be(0, $"seed {seed}");
        root.Copy.Lines("logs/wparse.log").Should().NotContain(l => l.Contains("[EROR]", StringComparison.Ordinal), $"seed {seed}");
    }

    [Fact]
    public async Task Daemons_started_with_ampersand_from_a_script_stop_on_SIGTERM_and_resume_exactly()
    {
        var seed = Seed();
        var random = new Random(seed);
        using var root = new CampaignRoot(speedLimit: 4000);
        root.Append(3000);

        // No job control in a script: the daemon inherits SIGINT as ignored, SIGTERM works.
        var script = string.Join('\n',
            "set -u",
            $"bin='{RepoPaths.Bin}'",
            "for delay in " + string.Join(' ', Enumerable.Range(0, 3).Select(_ => $"0.{random.Next(1, 9)}")) + "; do",
            "  \"$bin/wparse\" daemon > /dev/null 2>&1 &",
            "  pid=$!",
            "  until grep -q '^SigCgt:' /proc/$pid/status && (( 0x$(awk '/^SigCgt:/{print $2}' /proc/$pid/status) & 0x201 )); do sleep 0.05; done",
            "  sleep $delay",
            "  kill -TERM $pid",
            "  wait $pid; echo \"exit $?\"",
            "done");
        File.WriteAllText(Path.Combine(root.Root, "campaign.sh"), script);
        var run = await ShellAsync(root.Root, "campaign.sh");
        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(["exit 0", "exit 0", "exit 0"], $"seed {seed}\n{run}");

        var batch = await ToolProcess.RunAsync("wparse", root.Root, ["batch"]);
        batch.ExitCode.Should().Be(0, batch.ToString());
        var (missing, duplicates) = root.Tally();
        output.WriteLine($"seed {seed}: {root.Written} lines, {missing.Count} missing, {duplicates} duplicates");
        missing.Should().BeEmpty($"seed {seed}");
        duplicates.Should().Be(0, $"seed {seed}");
    }

    /// <summary>
    /// Bound: a kill -9 re-reads the lines after the last saved position. Positions are saved every
    /// second from the acknowledged watermark, so that is at most one second of reading (the speed
    /// limit) plus the lines in flight in the pipeline (read but not yet flushed by every sink).
    /// </summary>
    [Fact]
    public async Task Five_kill_9_at_random_moments_lose_nothing_and_duplicate_at_most_one_position_interval_each()
    {
        const int speedLimit = 3000;
        const int inFlight = 2 * 1024; // with speed-limited reading, batches are handed over as they are read
        const int perKillBound = speedLimit + inFlight;
        var seed = Seed();
        var random = new Random(seed);
        using var root = new CampaignRoot(speedLimit);
        root.Append(6000);

        for (var round = 0; round < 5; round++)
        {
            using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"]);
            await SignalReady.WaitAsync(daemon);
            await Task.Delay(random.Next(300, 1800));
            daemon.Signal(ToolProcess.SigKill);
            await daemon.WaitAsync(TimeSpan.FromSeconds(30));
            root.Append(random.Next(500, 2000));
        }

        var batch = await ToolProcess.RunAsync("wparse", root.Root, ["batch"]);
        batch.ExitCode.Should().Be(0, batch.ToString());

        var (missing, duplicates) = root.Tally();
        output.WriteLine($"seed {seed}: {root.Written} lines, {missing.Count} missing, {duplicates} duplicates (bound {5 * perKillBound})");
        missing.Should().BeEmpty($"seed {seed}");
        duplicates.Should().BeLessThanOrEqualTo(5 * perKillBound, $"seed {seed}");
    }

    private int Seed()
    {
        var seed = Environment.GetEnvironmentVariable("WP_TEST_SEED") is { Length: > 0 } text
            ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set WP_TEST_SEED to repeat)");
        return seed;
    }

    private static async Task<ToolResult> ShellAsync(string workRoot, string script)
    {
        var info = new System.Diagnostics.ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = workRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
