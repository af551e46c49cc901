using System.Text.Json;
using Wp.Core.Tests.Support;
using static Wp.Core.Tests.Expect.ExpectFixtures;

namespace Wp.Core.Tests.Expect;

public sealed class ValidateTests
{
    /// <summary>1000 source lines; orders expects 0.6±0.05, audit_a a share in [0.2,0.4], default at most 0.05.</summary>
    private static TempWorkRoot Shop(int orders = 600, [System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        TempWorkRoot.Create(caller).WithProject().WithSourceLines(1000)
            .WithBusinessGroup("orders", null, new Sink("orders_file", "orders.dat", "ratio = 0.6\ntol = 0.05"))
            .WithBusinessGroup("audit", null, new Sink("audit_a", "audit_a.dat", "min = 0.2\nmax = 0.4"), new Sink("audit_b", "audit_b.dat"))
            .WithInfraGroup("default", null, new Sink("default_sink", "default.dat", "max = 0.05"))
            .WithInfraGroup("monitor", null, new Sink("monitor_sink", "monitor.dat"))
            .WithOutput("orders.dat", orders)
            .WithOutput("audit_a.dat", 300)
            .WithOutput("default.dat", 40)
            .WithOutput("monitor.dat", 10);

    [Fact]
    public void Passes_when_every_share_meets_its_expectation_and_prints_the_evidence_with_v()
    {
        using var root = Shop();

        var (code, output, error) = root.Validate(verbose: true);

        code.Should().Be(0);
        error.Should().BeEmpty();
        output.Should().Be(Golden("""
            validate: PASS
            total_input: 1000 lines (enabled sources)

            GROUP    SINK            LINES  DENOM   RATIO  EXPECTED   VERDICT
            audit    audit_a           300   1000  0.3000  [0.2,0.4]  pass
            audit    audit_b       missing   1000  0.0000  -          -
            orders   orders_file       600   1000  0.6000  0.6±0.05   pass
            default  default_sink       40   1000  0.0400  [0,0.05]   pass
            monitor  monitor_sink       10   1000  0.0100  -          -
            missing: the output file does not exist; it counts as 0 lines
            """));
    }

    [Fact]
    public void Fails_with_exit_4_when_an_error_mode_expectation_is_missed()
    {
        using var root = Shop(orders: 500);

        var (code, output, error) = root.Validate();

        code.Should().Be(4);
        output.Should().Be(Golden("""
            validate: FAIL (1)
            total_input: 1000 lines (enabled sources)

            FAIL  orders_file (orders): share 0.5 outside 0.6±0.05 (500/1000 lines)
            """));
        error.Should().Be("wproj validate: 1 expectation failed; first: orders_file (orders): share 0.5 outside 0.6±0.05 (500/1000 lines)\n");
    }

    [Fact]
    public void Warns_and_exits_0_when_the_group_mode_is_warn()
    {
        using var root = Shop(orders: 500)
            .WithBusinessGroup("orders", "mode = \"warn\"", new Sink("orders_file", "orders.dat", "ratio = 0.6\ntol = 0.05"));

        var (code, output, error) = root.Validate();

        code.Should().Be(0);
        error.Should().BeEmpty();
        output.Should().Be(Golden("""
            validate: WARN (1)
            total_input: 1000 lines (enabled sources)

            WARN  orders_file (orders): share 0.5 outside 0.6±0.05 (500/1000 lines)
            """));
    }

    [Fact]
    public void Groups_whose_denominator_is_below_min_samples_are_ignored()
    {
        using var root = Shop(orders: 0)
            .WithSourceLines(50)
            .WithBusinessGroup("audit", "min_samples = 10", new Sink("audit_a", "audit_a.dat", "max = 0.4"));

        var (code, output, _) = root.Validate(verbose: true);

        code.Should().Be(4, "audit lowered min_samples to 10, so 300/50 is checked and fails");
        output.Should().Be(Golden("""
            validate: FAIL (1)
            total_input: 50 lines (enabled sources)

            GROUP    SINK          LINES  DENOM   RATIO  EXPECTED  VERDICT
            audit    audit_a         300     50  6.0000  [0,0.4]   fail
            orders   orders_file       0     50  0.0000  0.6±0.05  ignored
            default  default_sink     40     50  0.8000  [0,0.05]  ignored
            monitor  monitor_sink     10     50  0.2000  -         -

            FAIL  audit_a (audit): share 6 above max 0.4 (300/50 lines)
            skip  group orders ignored: denominator 50 (total_input) below min_samples 100
            skip  group default ignored: denominator 50 (total_input) below min_samples 100
            """));
    }

    [Fact]
    public void A_zero_denominator_ignores_the_group_even_with_min_samples_0()
    {
        using var root = TempWorkRoot.Create().WithProject()
            .WithBusinessGroup("orders", "min_samples = 0", new Sink("orders_file", "orders.dat", "ratio = 0.6"));

        var (code, output, _) = root.Validate();

        code.Should().Be(0);
        output.Should().Contain("skip  group orders ignored: denominator (total_input) is 0");
    }

    [Theory]
    [InlineData(600, 600, 4, "FAIL  group split: shares of the sinks with a ratio add up to 1.2, outside\n      1±0.02")]
    [InlineData(500, 490, 0, "validate: PASS")]
    public void Sum_tol_requires_the_shares_of_the_ratio_sinks_to_add_up_to_one(int a, int b, int exitCode, string expected)
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(1000)
            .WithBusinessGroup("split", "sum_tol = 0.02",
                new Sink("split_a", "a.dat", "ratio = 0.5\ntol = 0.5"),
                new Sink("split_b", "b.dat", "ratio = 0.5\ntol = 0.5"),
                new Sink("split_c", "c.dat"))
            .WithOutput("a.dat", a).WithOutput("b.dat", b).WithOutput("c.dat", 999);

        var (code, output, _) = root.Validate(verbose: true);

        code.Should().Be(exitCode);
        output.Should().Contain(expected);
        output.Should().Contain($"split  (sum of ratios)          1000  {(a + b) / 1000.0:0.0000}  1±0.02");
    }

    [Fact]
    public void Others_max_limits_the_share_of_sinks_without_expectations()
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(1000)
            .WithBusinessGroup("mix", "others_max = 0.1",
                new Sink("mix_a", "a.dat", "ratio = 0.8\ntol = 0.1"),
                new Sink("mix_b", "b.dat"),
                new Sink("mix_c", "c.dat"))
            .WithOutput("a.dat", 800).WithOutput("b.dat", 150).WithOutput("c.dat", 50);

        var (code, output, _) = root.Validate(verbose: true);

        code.Should().Be(4);
        output.Should().Be(Golden("""
            validate: FAIL (1)
            total_input: 1000 lines (enabled sources)

            GROUP  SINK      LINES  DENOM   RATIO  EXPECTED  VERDICT
            mix    mix_a       800   1000  0.8000  0.8±0.1   pass
            mix    mix_b       150   1000  0.1500  -         -
            mix    mix_c        50   1000  0.0500  -         -
            mix    (others)          1000  0.2000  [0,0.1]   fail

            FAIL  group mix: sinks without expectations take 0.2, above others_max 0.1
            """));
    }

    [Theory]
    [InlineData(100, 4, "share 0.1 below min 0.2 (100/1000 lines)")]
    [InlineData(500, 4, "share 0.5 above max 0.4 (500/1000 lines)")]
    [InlineData(200, 0, "validate: PASS")]
    [InlineData(400, 0, "validate: PASS")]
    public void Min_and_max_bound_the_share_inclusively(int lines, int exitCode, string expected)
    {
        using var root = Shop().WithOutput("audit_a.dat", lines);

        var (code, output, _) = root.Validate();

        code.Should().Be(exitCode);
        output.Should().Contain(expected);
    }

    [Theory]
    [InlineData(640, 0)]
    [InlineData(680, 0)]
    [InlineData(681, 4)]
    [InlineData(639, 4)]
    public void Ratio_within_tol_passes_up_to_the_exact_boundary(int lines, int exitCode)
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(1000)
            .WithBusinessGroup("bench", null, new Sink("bench_file", "bench.dat", "ratio = 0.66\ntol = 0.02"))
            .WithOutput("bench.dat", lines);

        root.Validate().Code.Should().Be(exitCode);
    }

    [Fact]
    public void A_missing_output_file_counts_zero_lines_and_says_missing()
    {
        using var root = Shop().Delete("data/out_dat/orders.dat");

        var (code, output, _) = root.Validate(verbose: true);

        code.Should().Be(4);
        output.Should().Contain("orders   orders_file   missing   1000  0.0000  0.6±0.05   fail");
        output.Should().Contain("FAIL  orders_file (orders): share 0 outside 0.6±0.05 (0/1000 lines, file\n      missing)");
        output.Should().Contain("missing: the output file does not exist; it counts as 0 lines");
    }

    [Fact]
    public void Input_cnt_replaces_the_source_lines_as_total_input()
    {
        using var root = Shop();

        var (code, output, _) = root.Validate(inputCount: 2000);

        code.Should().Be(4);
        output.Should().StartWith("validate: FAIL (2)\ntotal_input: 2000 lines (--input-cnt)\n");
        output.Should().Contain("share 0.3 outside 0.6±0.05 (600/2000 lines)");
    }

    [Fact]
    public void Group_input_divides_by_the_lines_of_the_group_sinks()
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(10)
            .WithDefaults("basis = \"group_input\"")
            .WithBusinessGroup("pair", null, new Sink("pair_a", "a.dat", "ratio = 0.75\ntol = 0.01"), new Sink("pair_b", "b.dat", "max = 0.25"))
            .WithOutput("a.dat", 300).WithOutput("b.dat", 100);

        var (code, output, _) = root.Validate(verbose: true);

        code.Should().Be(0);
        output.Should().Contain("pair   pair_a    300    400  0.7500  0.75±0.01  pass");
        output.Should().Contain("pair   pair_b    100    400  0.2500  [0,0.25]   pass");
    }

    [Fact]
    public void Group_expect_overrides_defaults_and_sink_expect_is_per_sink()
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(1000)
            .WithDefaults("basis = \"total_input\"\nmin_samples = 5000\nmode = \"warn\"")
            .WithBusinessGroup("strict", "min_samples = 10\nmode = \"error\"", new Sink("strict_sink", "s.dat", "ratio = 0.5\ntol = 0.01"))
            .WithBusinessGroup("lenient", null, new Sink("lenient_sink", "l.dat", "ratio = 0.5\ntol = 0.01"))
            .WithOutput("s.dat", 100).WithOutput("l.dat", 100);

        var (code, output, _) = root.Validate();

        code.Should().Be(4);
        output.Should().Contain("FAIL  strict_sink (strict): share 0.1 outside 0.5±0.01");
        output.Should().Contain("skip  group lenient ignored: denominator 1000 (total_input) below min_samples\n      5000");
    }

    [Fact]
    public void Groups_without_any_expect_table_are_not_checked_even_with_an_others_max_default()
    {
        using var root = TempWorkRoot.Create().WithProject().WithSourceLines(1000)
            .WithDefaults("others_max = 0.1")
            .WithBusinessGroup("plain", null, new Sink("plain_sink", "p.dat"))
            .WithOutput("p.dat", 1000);

        var (code, output, _) = root.Validate(json: true);

        code.Should().Be(0);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("groups")[0].GetProperty("status").GetString().Should().Be("no_expectations");
    }

    [Fact]
    public void The_evidence_table_fits_in_80_columns()
    {
        using var root = Shop()
            .WithBusinessGroup("a_rather_long_group_name", null,
                new Sink("a_rather_long_sink_name_for_the_table", "x.dat", "ratio = 0.123\ntol = 0.001\nmin = 0.1\nmax = 0.2"));

        var (_, output, _) = root.Validate(verbose: true);

        output.Split('\n').Should().OnlyContain(l => l.Length <= 80);
    }

    [Fact]
    public void Json_reports_result_groups_sinks_checks_and_findings()
    {
        using var root = Shop(orders: 500)
            .WithBusinessGroup("mix", "others_max = 0.5\nmode = \"warn\"", new Sink("mix_a", "a.dat", "min = 0.9"), new Sink("mix_b", "b.dat"))
            .WithOutput("a.dat", 10).WithOutput("b.dat", 20);

        var (code, output, _) = root.Validate(json: true);

        code.Should().Be(4);
        using var doc = JsonDocument.Parse(output);
        var json = doc.RootElement;
        json.GetProperty("work_root").GetString().Should().Be(root.FullPath);
        json.GetProperty("result").GetString().Should().Be("FAIL");
        json.GetProperty("errors").GetInt32().Should().Be(1);
        json.GetProperty("warnings").GetInt32().Should().Be(1);
        json.GetProperty("total_input").GetInt64().Should().Be(1000);
        json.GetProperty("total_input_from").GetString().Should().Be("sources");

        var groups = json.GetProperty("groups").EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("group").GetString()).Should().Equal("audit", "mix", "orders", "default", "monitor");
        var mix = groups[1];
        mix.GetProperty("scope").GetString().Should().Be("business");
        mix.GetProperty("status").GetString().Should().Be("checked");
        mix.GetProperty("basis").GetString().Should().Be("total_input");
        mix.GetProperty("denominator").GetInt64().Should().Be(1000);
        mix.GetProperty("min_samples").GetInt64().Should().Be(100);
        mix.GetProperty("mode").GetString().Should().Be("warn");
        mix.GetProperty("sum_tol").ValueKind.Should().Be(JsonValueKind.Null);
        mix.GetProperty("others_max").GetDouble().Should().Be(0.5);
        var check = mix.GetProperty("checks").EnumerateArray().Should().ContainSingle().Subject;
        check.GetProperty("check").GetString().Should().Be("others_max");
        check.GetProperty("limit").GetDouble().Should().Be(0.5);
        check.GetProperty("actual").GetDouble().Should().Be(0.02);
        check.GetProperty("verdict").GetString().Should().Be("pass");

        var mixA = mix.GetProperty("sinks")[0];
        mixA.GetProperty("sink").GetString().Should().Be("mix_a");
        mixA.GetProperty("path").GetString().Should().Be("data/out_dat/a.dat");
        mixA.GetProperty("exists").GetBoolean().Should().BeTrue();
        mixA.GetProperty("lines").GetInt64().Should().Be(10);
        mixA.GetProperty("ratio").GetDouble().Should().Be(0.01);
        mixA.GetProperty("expect").GetProperty("min").GetDouble().Should().Be(0.9);
        mixA.GetProperty("expect").GetProperty("ratio").ValueKind.Should().Be(JsonValueKind.Null);
        mixA.GetProperty("verdict").GetString().Should().Be("warn");
        mix.GetProperty("sinks")[1].GetProperty("expect").ValueKind.Should().Be(JsonValueKind.Null);
        mix.GetProperty("sinks")[1].GetProperty("verdict").GetString().Should().Be("none");

        var findings = json.GetProperty("findings").EnumerateArray().ToList();
        findings.Should().HaveCount(2);
        findings.Select(f => (f.GetProperty("group").GetString(), f.GetProperty("sink").GetString(), f.GetProperty("check").GetString(), f.GetProperty("severity").GetString()))
            .Should().Equal(("mix", "mix_a", "min", "warn"), ("orders", "orders_file", "ratio", "error"));
        findings[1].GetProperty("message").GetString().Should().Be("share 0.5 outside 0.6±0.05 (500/1000 lines)");
    }
}
