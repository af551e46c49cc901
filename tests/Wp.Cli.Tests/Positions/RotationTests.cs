using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Positions;

/// <summary>SPEC §4.1: rotation by rename + recreate and by copytruncate, while running and while stopped (done means 3).</summary>
[Collection(E2eCollection.Name)]
public sealed class RotationTests
{
    [Fact]
    public async Task Rotations_while_running_and_while_stopped_lose_no_line_and_read_none_twice()
    {
        using var root = new CampaignRoot(speedLimit: 0);
        root.Append(500);

        // While running: rename + recreate, the writer still appending to the old file for a moment.
        using (var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"]))
        {
            await SignalReady.WaitAsync(daemon);
            await Eventually.Async(() => root.Delivered().Count == 500, daemon);
            root.Append(200); // not read yet, or read: either way exactly once
            File.Move(root.Input, root.Input + ".1");
            root.Append(50, root.Input + ".1");
            root.Append(300);
            await Eventually.Async(() => root.Delivered().Count == root.Written, daemon);

            // While running: copytruncate (copy, then truncate in place), nothing written in between.
            root.Append(100);
            File.Copy(root.Input, root.Input + "-copy1");
            Truncate(root.Input);
            root.Append(150);
            await Eventually.Async(() => root.Delivered().Count == root.Written, daemon);

            daemon.Signal(ToolProcess.SigTerm);
            (await daemon.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, daemon.StdErr);
        }

        // While stopped: rename + recreate with lines the daemon never saw in the old file.
        root.Append(120);
        File.Move(root.Input, root.Input + ".2");
        root.Append(80);
        await RunDaemonUntilAllDelivered(root);

        // While stopped: copytruncate with unread lines in the copy.
        root.Append(90);
        File.Copy(root.Input, root.Input + "-copy2");
        Truncate(root.Input);
        root.Append(60);
        await RunDaemonUntilAllDelivered(root);

        var (missing, duplicates) = root.Tally();
        missing.Should().BeEmpty();
        duplicates.Should().Be(0);
        var log = File.ReadAllText(root.Copy.PathOf("logs/wparse.log"));
        log.Should().Contain("was rotated").And.Contain("copytruncate").And.Contain("rotated (the file read before is now");
    }

    private static async Task RunDaemonUntilAllDelivered(CampaignRoot root)
    {
        using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"]);
        await SignalReady.WaitAsync(daemon);
        await Eventually.Async(() => root.Delivered().Count == root.Written, daemon);
        daemon.Signal(ToolProcess.SigTerm);
        (await daemon.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, daemon.StdErr);
    }

    private static void Truncate(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.SetLength(0);
    }
}
