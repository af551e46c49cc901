using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Upstream;

/// <summary>
/// Drop-in for WarpParse users (issue 16): work roots in upstream's layout and spellings, and
/// scripts shaped like upstream's (same commands and flags, <c>set -euo pipefail</c>), run
/// unchanged with the published tools on PATH.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class UpstreamScriptsTests
{
    [Fact]
    public async Task The_interruption_and_recovery_scripts_pass_on_an_upstream_layout_work_root()
    {
        using var root = new UpstreamWorkRoot("sink_recovery");

        // Short test_rescue phases while parsing: 3000 lines at rate_limit_rps 2000 span several.
        var interrupt = await root.RunScript("case_interrupt.sh", new Dictionary<string, string>
        {
            ["WP_TEST_RESCUE_UP_MS"] = "250",
            ["WP_TEST_RESCUE_DOWN_MS"] = "250",
        });

        interrupt.ExitCode.Should().Be(0, interrupt.ToString());
        interrupt.StdOut.Should().Contain("case_interrupt: OK");
        var check = interrupt.StdOut[..interrupt.StdOut.IndexOf("check: PASS", StringComparison.Ordinal)];
        check.Should().Contain("upstream spellings read").And.Contain("knowledge table regions: 2 rows")
            .And.Contain("_sink_orders_0 (unnamed: by").And.Contain("1 source (app_log), 1 enabled");
        var rescued = root.Files("data/rescue", "_sink_orders_0-*.dat");
        rescued.Should().NotBeEmpty("the unnamed orders sink diverts to rescue files named after its default name");
        var total = Section(interrupt.StdOut, "-- wparse total --");
        total.Should().Contain("sink    _sink_orders_0").And.NotContain("_sink_web_0", "[[stat.sink]] target = \"_sink_orders*\"");
        File.ReadAllText(root.PathOf("data/logs/wpgen.log")).Should().Contain("orders_feed", "[logging] level = \"info\" into ./data/logs/");

        // The sink stays up while wprescue replays, so every record is delivered exactly once.
        var recovery = await root.RunScript("case_recovery.sh", new Dictionary<string, string>
        {
            ["WP_TEST_RESCUE_UP_MS"] = "600000",
            ["WP_TEST_RESCUE_DOWN_MS"] = "1",
        });

        recovery.ExitCode.Should().Be(0, recovery.ToString());
        recovery.StdOut.Should().Contain("validate: PASS").And.Contain("case_recovery: OK");
        root.Files("data/rescue", "*.dat").Should().BeEmpty();
        File.ReadAllLines(root.PathOf("data/out_dat/orders.dat")).Should().HaveCount(2000, "two of every three sample lines are orders, none lost or doubled");
        File.ReadAllLines(root.PathOf("data/out_dat/web.json")).Should().HaveCount(1000);
        File.ReadAllText(root.PathOf("data/logs/wprescue.log")).Should().Contain("recover end! clean file : ");
    }

    [Fact]
    public async Task The_getting_started_flow_runs_from_an_empty_folder()
    {
        using var root = new UpstreamWorkRoot("getting_started");

        var run = await root.RunScript("run.sh");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().Contain("wrote ").And.Contain("ok: ").And.Contain("validate: PASS").And.Contain("getting_started: OK");
        File.ReadAllLines(root.PathOf("data/in_dat/gen.dat")).Should().HaveCount(3000);
        File.ReadAllLines(root.PathOf("data/out_dat/example.dat")).Should().HaveCount(3000);
    }

    /// <summary>The text from a table's title to the next blank-line-free end (the table block).</summary>
    private static string Section(string text, string title)
    {
        var start = text.IndexOf(title, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"'{title}' is printed");
        // The section ends at the script's next step or at the next table (the per-sink ledger lists every sink).
        var ends = new[] { text.IndexOf("\n3>", start, StringComparison.Ordinal), text.IndexOf("\n-- ", start + title.Length, StringComparison.Ordinal) }
            .Where(i => i >= 0).ToArray();
        return ends.Length == 0 ? text[start..] : text[start..ends.Min()];
    }
}
