using System.Globalization;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Positions;

/// <summary>A graceful stop while a sink is down (issue 11, done means 4).</summary>
[Collection(E2eCollection.Name)]
public sealed class OutageStopTests
{
    private const string Sink = "benchmark_file_sink";

    [Theory]
    [InlineData(ToolProcess.SigTerm)]
    [InlineData(1)] // SIGHUP
    public async Task A_graceful_stop_during_an_outage_logs_no_error_leaves_no_lock_and_the_final_table_adds_up(int signal)
    {
        using var root = new CampaignRoot(speedLimit: 2000);
        root.Copy.Edit("sink/business.d/benchmark.toml", "connect = \"file_kv_sink\"", "connect = \"file_rescue_sink\"");
        root.Append(3000);
        var downAfter300Ms = new Dictionary<string, string> { ["WP_TEST_RESCUE_UP_MS"] = "300", ["WP_TEST_RESCUE_DOWN_MS"] = "600000" };

        using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"], downAfter300Ms);
        await SignalReady.WaitAsync(daemon);
        await Eventually.Async(() => root.Copy.RescueFiles(Sink, ".dat.lock").Length == 1, daemon);
        daemon.Signal(signal);
        var code = await daemon.WaitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(0, daemon.StdErr);
        daemon.StdErr.Should().NotContain("EROR");
        File.ReadAllText(root.Copy.PathOf("logs/wparse.log")).Should().NotContain("[EROR]");
        root.Copy.RescueFiles(Sink, ".dat.lock").Should().BeEmpty();
        var ledger = LedgerRow(daemon.StdOut, Sink);
        ledger.Routed.Should().Be(ledger.Written + ledger.Rescue + ledger.Error, daemon.StdOut);
        ledger.Pending.Should().Be(0);
        ledger.Rescue.Should().BeGreaterThan(0);
        var rescued = root.Copy.RescueFiles(Sink).Sum(f => File.ReadLines(f).Count());
        rescued.Should().Be((int)ledger.Rescue);
        root.Copy.Lines("data/out_dat/benchmark.dat").Length.Should().Be((int)ledger.Written);
    }

    [Fact]
    public async Task A_graceful_stop_after_the_sink_went_down_with_nothing_to_write_logs_no_error()
    {
        using var root = new CampaignRoot(speedLimit: 0);
        root.Copy.Edit("sink/business.d/benchmark.toml", "connect = \"file_kv_sink\"", "connect = \"file_rescue_sink\"");
        root.Append(300);
        // Up for 3 s from the sink's start: time enough to deliver 300 records on a loaded machine. Once they
        // are delivered (before the 3 s are over), waiting 3 s more lands in the down phase whenever they were.
        var downAfter3s = new Dictionary<string, string> { ["WP_TEST_RESCUE_UP_MS"] = "3000", ["WP_TEST_RESCUE_DOWN_MS"] = "600000" };

        using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon"], downAfter3s);
        await SignalReady.WaitAsync(daemon);
        await Eventually.Async(() => root.Delivered().Count == 300, daemon);
        await Task.Delay(3000); // the sink's up phase ends while nothing is written
        daemon.Signal(ToolProcess.SigTerm);
        var code = await daemon.WaitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(0, daemon.StdErr);
        daemon.StdErr.Should().NotContain("EROR");
        File.ReadAllText(root.Copy.PathOf("logs/wparse.log")).Should().NotContain("[EROR]");
        root.Copy.RescueFiles(Sink, ".dat.lock").Should().BeEmpty();
        var ledger = LedgerRow(daemon.StdOut, Sink);
        ledger.Should().Be((300L, 300L, 0L, 0L, 0L, 0L));
    }

    /// <summary>The numbers of a sink's row in the "wparse sinks" ledger.</summary>
    internal static (long Routed, long Written, long Rescue, long Error, long NotStored, long Pending) LedgerRow(string stdout, string sink)
    {
        var lines = stdout.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("-- wparse sinks", StringComparison.Ordinal));
        start.Should().BeGreaterThanOrEqualTo(0, stdout);
        var row = lines.Skip(start).First(l => l.StartsWith(sink + " ", StringComparison.Ordinal));
        var n = row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(c => long.Parse(c.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[1], n[2], n[3], n[4], n[5]);
    }
}
