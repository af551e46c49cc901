using System.Text.Json;
using Wp.Core.Expect;
using Wp.Core.Tests.Support;
using static Wp.Core.Tests.Expect.ExpectFixtures;

namespace Wp.Core.Tests.Expect;

public sealed class StatTests
{
    /// <summary>Two business groups, two infra groups (written in the opposite of SPEC order), one missing output.</summary>
    private static TempWorkRoot Shop([System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        TempWorkRoot.Create(caller).WithProject().WithSourceLines(1000)
            .WithBusinessGroup("orders", null, new Sink("orders_file", "orders.dat"))
            .WithBusinessGroup("audit", null, new Sink("audit_a", "audit_a.dat"), new Sink("audit_b", "audit_b.dat"))
            .WithInfraGroup("error", null, new Sink("error_sink", "error.dat"))
            .WithInfraGroup("intercept", null, new Sink("intercept_sink", "intercept.dat"))
            .WithOutput("orders.dat", 600)
            .WithOutput("audit_a.dat", 300)
            .WithOutput("error.dat", 12)
            .WithOutput("intercept.dat", 3);

    [Fact]
    public void Stat_file_prints_sources_then_sinks_business_before_infra_with_totals()
    {
        using var root = Shop();

        root.Stat(StatScope.All).Should().Be(Golden("""
            sources
            KEY     ENABLED  LINES  PATH
            file_1  yes       1000  data/in_dat/gen.dat
            ------  -------  -----  -------------------
            total   enabled   1000

            sinks
            SCOPE     GROUP      SINK              LINES  PATH
            business  audit      audit_a             300  data/out_dat/audit_a.dat
            business  audit      audit_b         missing  data/out_dat/audit_b.dat
            business  orders     orders_file         600  data/out_dat/orders.dat
            infra     intercept  intercept_sink        3  data/out_dat/intercept.dat
            infra     error      error_sink           12  data/out_dat/error.dat
            --------  ---------  --------------  -------  --------------------------
            total     business                       900
            total     infra                           15
            total     all                            915
            missing: the output file does not exist; it counts as 0 lines
            """));
    }

    [Fact]
    public void Stat_src_file_lists_every_source_and_totals_only_the_enabled_ones()
    {
        using var root = TempWorkRoot.Create().WithProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key     = "file_1"
                connect = "file_src"
                params  = { file = "a.dat" }

                [[sources]]
                key     = "file_2"
                enable  = false
                connect = "file_src"
                params  = { file = "b.dat" }

                [[sources]]
                key     = "file_3"
                connect = "file_src"
                params  = { file = "c.dat" }
                """)
            .WithBusinessGroup("orders", null, new Sink("orders_file", "orders.dat"))
            .WithLines("data/in_dat/a.dat", 10)
            .WithLines("data/in_dat/b.dat", 20);

        root.Stat(StatScope.Sources).Should().Be(Golden("""
            sources
            KEY     ENABLED    LINES  PATH
            file_1  yes           10  data/in_dat/a.dat
            file_2  no            20  data/in_dat/b.dat
            file_3  yes      missing  data/in_dat/c.dat
            ------  -------  -------  -----------------
            total   enabled       10
            missing: the source file does not exist; it counts as 0 lines
            """));
    }

    [Fact]
    public void Stat_sink_file_prints_only_sinks()
    {
        using var root = Shop();

        var text = root.Stat(StatScope.Sinks);

        text.Should().StartWith("sinks\n").And.NotContain("sources");
    }

    [Fact]
    public void Long_paths_are_cut_from_the_left_to_fit_80_columns()
    {
        using var root = TempWorkRoot.Create().WithProject()
            .WithBusinessGroup("orders", null, new Sink("orders_file", "a/very/deep/folder/structure/that/goes/on/and/on/orders_of_the_day.dat"));

        var lines = root.Stat(StatScope.Sinks).Split('\n');

        lines.Should().OnlyContain(l => l.Length <= 80);
        lines.Should().Contain(l => l.Contains("orders_file") && l.Contains('…') && l.EndsWith("/on/and/on/orders_of_the_day.dat"));
    }

    [Fact]
    public void Stat_json_has_sources_sinks_and_totals()
    {
        using var root = Shop();

        using var doc = JsonDocument.Parse(root.Stat(StatScope.All, json: true));

        var json = doc.RootElement;
        json.GetProperty("work_root").GetString().Should().Be(root.FullPath);
        var source = json.GetProperty("sources").EnumerateArray().Should().ContainSingle().Subject;
        source.GetProperty("key").GetString().Should().Be("file_1");
        source.GetProperty("enabled").GetBoolean().Should().BeTrue();
        source.GetProperty("path").GetString().Should().Be("data/in_dat/gen.dat");
        source.GetProperty("exists").GetBoolean().Should().BeTrue();
        source.GetProperty("lines").GetInt64().Should().Be(1000);

        var sinks = json.GetProperty("sinks").EnumerateArray().ToList();
        sinks.Select(s => s.GetProperty("sink").GetString()).Should().Equal("audit_a", "audit_b", "orders_file", "intercept_sink", "error_sink");
        var missing = sinks[1];
        missing.GetProperty("scope").GetString().Should().Be("business");
        missing.GetProperty("group").GetString().Should().Be("audit");
        missing.GetProperty("path").GetString().Should().Be("data/out_dat/audit_b.dat");
        missing.GetProperty("exists").GetBoolean().Should().BeFalse();
        missing.GetProperty("lines").GetInt64().Should().Be(0);
        sinks[3].GetProperty("scope").GetString().Should().Be("infra");

        var totals = json.GetProperty("totals");
        totals.GetProperty("source_lines").GetInt64().Should().Be(1000);
        totals.GetProperty("business_lines").GetInt64().Should().Be(900);
        totals.GetProperty("infra_lines").GetInt64().Should().Be(15);
        totals.GetProperty("sink_lines").GetInt64().Should().Be(915);
    }

    [Fact]
    public void Stat_json_of_sink_file_leaves_out_the_sources()
    {
        using var root = Shop();

        using var doc = JsonDocument.Parse(root.Stat(StatScope.Sinks, json: true));

        doc.RootElement.TryGetProperty("sources", out _).Should().BeFalse();
        doc.RootElement.GetProperty("totals").TryGetProperty("source_lines", out _).Should().BeFalse();
        doc.RootElement.GetProperty("sinks").GetArrayLength().Should().Be(5);
    }

    [Fact]
    public void A_sink_without_an_output_file_shows_no_lines()
    {
        using var root = TempWorkRoot.Create().WithProject()
            .Write("sink/business.d/void.toml", """
                [sink_group]
                name = "void"
                rule = ["/void/*"]
                [[sink_group.sinks]]
                name    = "void_sink"
                connect = "blackhole_sink"
                """);

        root.Stat(StatScope.Sinks).Should().Contain("business  void      void_sink      -  (no file: blackhole)");
        using var doc = JsonDocument.Parse(root.Stat(StatScope.Sinks, json: true));
        var sink = doc.RootElement.GetProperty("sinks")[0];
        sink.GetProperty("path").ValueKind.Should().Be(JsonValueKind.Null);
        sink.GetProperty("lines").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
