using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wprescue;

/// <summary>Stopping wprescue in the middle of a file — gracefully and with kill -9 — and restarting it.</summary>
[Collection(E2eCollection.Name)]
public sealed class WprescueStopTests
{
    private const int Lines = 100_000;
    private const int CheckpointEvery = 1000;
    private static readonly DateTimeOffset T0 = new(2025, 10, 4, 1, 59, 24, TimeSpan.Zero);

    [Theory]
    [InlineData(10, "daemon")] // SIGUSR1 on Linux
    [InlineData(ToolProcess.SigInt, "work")]
    [InlineData(ToolProcess.SigTerm, "daemon")]
    public async Task A_graceful_stop_mid_file_then_a_restart_delivers_every_record_exactly_once(int signal, string command)
    {
        using var c = MidFileCase(out var file, out var expected);

        using (var first = c.StartWprescue([command, "--speed-limit", "10000"]))
        {
            await Eventually.Async(() => c.TargetLines().Length >= 15_000, first);
            first.Signal(signal);
            var code = await first.WaitAsync(TimeSpan.FromSeconds(30));

            code.Should().Be(0, first.StdErr);
        }

        var checkpoint = c.Checkpoint();
        checkpoint.Should().NotBeNull();
        checkpoint!.Value.Clean.Should().BeTrue();
        var delivered = c.TargetLines();
        delivered.Length.Should().BeInRange(15_000, Lines - 1, "stopped in the middle of the file");
        delivered.Length.Should().Be((int)checkpoint.Value.Lines, "a graceful stop flushes and checkpoints exactly what was sent");
        File.Exists(file).Should().BeTrue();

        var second = await c.WprescueAsync(["batch", "--speed-limit", "0"]);

        second.ExitCode.Should().Be(0, second.ToString());
        RescueCase.Multiset(c.TargetLines()).Should().Equal(RescueCase.Multiset(expected));
        c.RescueFiles().Should().BeEmpty();
        c.Log.Should().Contain("after a clean stop");
    }

    [Fact]
    public async Task Kill_9_mid_file_then_a_restart_loses_nothing_and_repeats_at_most_checkpoint_every_lines_records()
    {
        using var c = MidFileCase(out var file, out var expected);

        using (var first = c.StartWprescue(["work", "--speed-limit", "10000"]))
        {
            await Eventually.Async(() => c.TargetLines().Length >= 15_000, first);
            first.Signal(ToolProcess.SigKill);
            await first.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var checkpoint = c.Checkpoint();
        checkpoint.Should().NotBeNull();
        var delivered = c.TargetLines().Length;
        (delivered - checkpoint!.Value.Lines).Should().BeInRange(0, CheckpointEvery, "the checkpoint trails the target by at most one cadence");
        File.Exists(file).Should().BeTrue();

        var second = await c.WprescueAsync(["batch", "--speed-limit", "0"]);

        second.ExitCode.Should().Be(0, second.ToString());
        var target = RescueCase.Multiset(c.TargetLines());
        var want = RescueCase.Multiset(expected);
        target.Keys.Should().BeEquivalentTo(want.Keys, "no record is lost and nothing else appears");
        var duplicates = target.Values.Sum() - want.Values.Sum();
        duplicates.Should().BeInRange(0, CheckpointEvery, "a restart re-sends at most the records after the last checkpoint");
        target.Values.Should().OnlyContain(n => n <= 2);
        c.RescueFiles().Should().BeEmpty();
        c.Log.Should().Contain("may be delivered twice");
    }

    [Fact]
    public async Task A_second_wprescue_on_the_same_folder_exits_non_zero_at_once_with_a_clear_message()
    {
        using var c = new RescueCase();
        using var first = c.StartWprescue(["daemon"]);
        await Eventually.Async(() => c.Log.Contains("recover begin", StringComparison.Ordinal), first);

        // The first holds the lock until it is stopped below, so a second that waited for the lock would
        // never exit (the timeout is only a hang guard): exiting while the first still runs proves it did not
        // wait, without a bound on how long the process took to start on a loaded machine.
        var second = await c.WprescueAsync(["batch"]);
        var firstStillHoldsTheLock = !first.HasExited;

        second.ExitCode.Should().NotBe(0);
        second.StdErr.Should().Contain("another wprescue").And.Contain($"pid {first.Id}").And.Contain(c.RescueDir);
        second.StdErr.Trim().Split('\n').Should().ContainSingle("one clear line");
        firstStillHoldsTheLock.Should().BeTrue("the second exited while the first held the lock: it did not wait for it");
        first.Signal(10);
        (await first.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
    }

    private static RescueCase MidFileCase(out string file, out List<string> expected, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var c = new RescueCase(test);
        c.SetEngineKey("checkpoint_every_lines", CheckpointEvery.ToString(System.Globalization.CultureInfo.InvariantCulture));
        file = c.WriteRescueFile(T0, RescueCase.Records(0, Lines));
        expected = RescueCase.KvLines(RescueCase.Records(0, Lines));
        return c;
    }
}
