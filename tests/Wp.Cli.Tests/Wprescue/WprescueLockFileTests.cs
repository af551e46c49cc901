using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wprescue;

/// <summary><c>.dat.lock</c> files: a live writer's is left alone, an orphan (its writer killed) is adopted.</summary>
[Collection(E2eCollection.Name)]
public sealed class WprescueLockFileTests
{
    private static readonly Dictionary<string, string> AlwaysDown = new() { ["WP_TEST_RESCUE_UP_MS"] = "0", ["WP_TEST_RESCUE_DOWN_MS"] = "1000" };
    private static readonly Dictionary<string, string> AlwaysUp = new() { ["WP_TEST_RESCUE_DOWN_MS"] = "0" };

    [Fact]
    public async Task A_live_writers_lock_file_is_left_alone_and_after_kill_9_of_the_writer_it_is_adopted_and_every_complete_record_delivered()
    {
        using var reference = new RescueCase(tag: "-ref");
        using var c = new RescueCase(tag: "-cut");
        var gen = await ToolProcess.RunAsync("wpgen", reference.Root.Root, ["sample", "-n", "3000"]);
        gen.ExitCode.Should().Be(0, gen.ToString());
        File.Copy(reference.Root.PathOf("data/in_dat/gen.dat"), c.Root.PathOf("data/in_dat/gen.dat").EnsureFolder());
        (await ToolProcess.RunAsync("wparse", reference.Root.Root, ["batch"])).ExitCode.Should().Be(0);
        var expected = reference.TargetLines();
        expected.Should().HaveCount(2000);

        // wparse daemon with the benchmark sink down for good: every benchmark record goes to one open .dat.lock.
        c.UseSink("file_rescue_sink");
        using var wparse = ToolProcess.Start("wparse", c.Root.Root, ["daemon"], AlwaysDown);
        await Eventually.Async(() => c.RescueFiles().Length == 1 && LockFileLines(c) == 2000, wparse);
        var lockFile = Path.Combine(c.RescueDir, c.RescueFiles().Single());
        lockFile.Should().EndWith(".dat.lock");

        var whileAlive = await c.WprescueAsync(["batch"], AlwaysUp);

        whileAlive.ExitCode.Should().Be(0, whileAlive.ToString());
        File.Exists(lockFile).Should().BeTrue("a live writer holds it");
        c.TargetLines().Should().BeEmpty();
        c.Log.Should().Contain($"{lockFile} is held by a live writer; left alone");

        wparse.Signal(ToolProcess.SigKill);
        await wparse.WaitAsync(TimeSpan.FromSeconds(30));
        File.AppendAllText(lockFile, "{\"v\":1,\"f\":[[\"torn"); // as if the kill had cut a write short

        var adopted = await c.WprescueAsync(["batch"], AlwaysUp);

        adopted.ExitCode.Should().Be(0, adopted.ToString());
        c.Log.Should().Contain($"adopt stale lock file {lockFile}").And.Contain("torn last line dropped");
        RescueCase.Multiset(c.TargetLines()).Should().Equal(RescueCase.Multiset(expected));
        c.RescueFiles().Should().BeEmpty();
        File.ReadAllText(Path.Combine(c.RescueDir, "bad", Path.GetFileName(lockFile)[..^".lock".Length] + ".bad"))
            .Should().Contain("{\"v\":1,\"f\":[[\"torn");
    }

    [Fact]
    public async Task An_orphaned_lock_file_nobody_holds_is_adopted()
    {
        using var c = new RescueCase();
        var sealedPath = c.WriteRescueFile(new DateTimeOffset(2025, 10, 4, 1, 0, 0, TimeSpan.Zero), RescueCase.Records(0, 50));
        var orphan = sealedPath + ".lock";
        File.Move(sealedPath, orphan);

        var run = await c.WprescueAsync(["batch"]);

        run.ExitCode.Should().Be(0, run.ToString());
        c.Log.Should().Contain($"adopt stale lock file {orphan} -> {sealedPath}");
        c.TargetLines().Should().Equal(RescueCase.KvLines(RescueCase.Records(0, 50)));
        c.RescueFiles().Should().BeEmpty();
    }

    /// <summary>Lines in the (locked) .dat.lock, counted without a .NET open (which would take a shared flock and fail).</summary>
    private static int LockFileLines(RescueCase c)
    {
        var file = c.RescueFiles().SingleOrDefault();
        if (file is null)
        {
            return -1;
        }

        var path = Path.Combine(c.RescueDir, file);
        var wc = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("wc", ["-l", path]) { RedirectStandardOutput = true })!;
        var output = wc.StandardOutput.ReadToEnd();
        wc.WaitForExit();
        return int.TryParse(output.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out var n) ? n : -1;
    }
}
