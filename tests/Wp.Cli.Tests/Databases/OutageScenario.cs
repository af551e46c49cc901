using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// Done means 2 of issue 10, the same for every database: a speed-limited <c>wparse daemon</c> into the
/// database; the server is taken down mid-run and brought back; the sink reconnects by itself; rows +
/// rescued entries = routed, at least one rescue file; <c>wprescue batch</c> while the server is down
/// exits 5 and loses nothing; once it is up, rows = routed with no duplicate and the rescue folder is empty.
/// </summary>
/// <remarks>
/// A daemon, stopped once the reconnect is logged and every line is accounted for, not a batch: a batch
/// ends with its input, and whether the sink's probe (backoff up to 5 s) found the server back before
/// then depended on how fast the server restarted — under load it sometimes had not, the rescue file
/// was sealed at shutdown instead and "reconnect success" never appeared. Each step here waits for
/// what it needs, so the outcome no longer depends on the server's restart time or the machine's load.
/// </remarks>
internal static class OutageScenario
{
    public static async Task RunAsync(DbCase c, DbServer server, Func<long> rows, Func<long> distinctKeys, int lines = 6000)
    {
        c.SetSpeedLimit(1000); // ~6 s of input: the outage starts with most of it still unread
        c.WriteInput(lines);

        using var run = ToolProcess.Start("wparse", c.Root, ["daemon"], c.Env);
        await Eventually.Async(() => Try(rows) >= 1000, run, TimeSpan.FromSeconds(90));
        server.Stop();
        await Eventually.Async(() => c.Work.RescueFiles(c.SinkName, ".dat.lock").Length > 0, run, TimeSpan.FromSeconds(60));
        server.Start();
        await Eventually.Async(() => c.Log("wparse").Contains($"sink {c.SinkName} reconnect success", StringComparison.Ordinal), run, TimeSpan.FromSeconds(90));
        // Sealed rescue files only: the one of the outage is sealed by the reconnect.
        await Eventually.Async(() => Try(rows) + c.RescuedRecords() >= lines, run, TimeSpan.FromSeconds(90));
        run.Signal(ToolProcess.SigTerm);
        var code = await run.WaitAsync(TimeSpan.FromMinutes(1));

        code.Should().Be(0, run.StdOut + run.StdErr + c.Log("wparse"));
        var written = rows();
        var rescued = c.RescuedRecords();
        c.RescueFiles().Should().NotBeEmpty("the outage diverted batches to rescue files");
        (written + rescued).Should().Be(lines, "every routed record is in the table or a rescue file");
        written.Should().BeLessThan(lines);
        c.Log("wparse").Should().Contain($"sink {c.SinkName} failed: ").And.Contain($"sink {c.SinkName} reconnect success");

        server.Stop();
        var whileDown = await c.Wprescue();
        whileDown.ExitCode.Should().Be(5, whileDown.ToString());
        c.RescuedRecords().Should().Be(rescued, "nothing is lost while the server is down");

        server.Start();
        rows().Should().Be(written, "the failed replay wrote nothing");
        var replay = await c.Wprescue();
        replay.ExitCode.Should().Be(0, replay.ToString() + c.Log("wprescue"));
        rows().Should().Be(lines);
        distinctKeys().Should().Be(lines, "no record is written twice");
        c.RescueFiles().Should().BeEmpty();
        c.Work.RescueFiles(c.SinkName, ".dat.lock").Should().BeEmpty();
    }

    private static long Try(Func<long> rows)
    {
        try
        {
            return rows();
        }
        catch (Exception)
        {
            return 0; // the table may not exist yet
        }
    }
}
