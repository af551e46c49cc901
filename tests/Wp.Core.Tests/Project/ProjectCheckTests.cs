using Wp.Core.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Project;

public sealed class ProjectCheckTests
{
    private const string Group = """
        version = "2.0"

        [sink_group]
        name = "orders"
        oml  = ["example"]

        [[sink_group.sinks]]
        name    = "orders_file"
        connect = "file_kv_sink"
        params  = { file = "orders.dat" }
        """;

    [Fact]
    public void A_freshly_initialised_root_passes_with_exit_0()
    {
        using var root = TempWorkRoot.Create().Initialised();

        var (code, output, error) = root.Check();

        code.Should().Be(0);
        error.Should().BeEmpty();
        output.Should().StartWith($"wproj check: {root.FullPath}\nITEM ");
        output.Should().Contain("models/wpl/example/parse.wpl   ok      1 rule: /example/nginx");
        output.Should().Contain("models/wpl/example/sample.dat  ok      1 sample line matches");
        output.Should().Contain("oml references");
        output.Should().NotContain("FAIL");
        output.Should().EndWith("check: PASS (20 items, 1 warning)\n", "only the source file is missing until wpgen writes it");
    }

    [Fact]
    public void Problems_exit_4_with_one_stderr_line_naming_the_first_one()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/orders.toml", Group.Replace("name = \"orders\"", "name = \"orders\"\ncolour = \"red\"", StringComparison.Ordinal));

        var (code, output, error) = root.Check();

        code.Should().Be(4);
        output.Should().Contain("sink/business.d/orders.toml:5:1  FAIL    unknown key 'colour' in [sink_group]");
        output.Should().EndWith("check: FAIL (1 problem)\n");
        error.Should().Be("wproj check: 1 problem; first: sink/business.d/orders.toml:5:1: unknown key 'colour' in [sink_group]\n");
    }

    [Fact]
    public void Duplicate_sink_names_are_reported_at_the_second_sink_naming_the_first()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/orders.toml", Group.Replace("orders_file", "example_file_sink", StringComparison.Ordinal));

        root.Problems().Should().ContainSingle().Which.Should().Be((
            "sink/business.d/orders.toml:7",
            "duplicate sink name 'example_file_sink' in group 'orders': already used in group 'example' at sink/business.d/example.toml:9"));
    }

    [Fact]
    public void An_unknown_connector_is_reported_at_its_connect_key()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/orders.toml", Group.Replace("file_kv_sink", "kafka_sink", StringComparison.Ordinal));

        var (item, detail) = root.Problems().Should().ContainSingle().Subject;

        item.Should().Be("sink/business.d/orders.toml:9:1");
        detail.Should().StartWith("unknown connector 'kafka_sink' for sink 'orders_file' (known: ");
    }

    [Fact]
    public void A_param_override_the_connector_does_not_allow_is_reported()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/orders.toml", Group.Replace("{ file = \"orders.dat\" }", "{ file = \"orders.dat\", up_ms = 5 }", StringComparison.Ordinal));

        var (item, detail) = root.Problems().Should().ContainSingle().Subject;

        item.Should().StartWith("sink/business.d/orders.toml:10");
        detail.Should().Contain("param 'up_ms' of sink 'orders_file' may not be overridden");
    }

    [Fact]
    public void A_wpl_syntax_error_is_reported_with_line_and_column()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("models/wpl/example/parse.wpl", "package /example {\n  rule nginx {\n    (digit, foo)\n  }\n}\n");

        var (item, detail) = root.Problems().Should().ContainSingle().Subject;

        item.Should().Be("models/wpl/example/parse.wpl:3:13");
        detail.Should().Contain("unknown field type 'foo'");
    }

    [Fact]
    public void An_oml_error_is_reported_with_line_and_column()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("models/oml/example.oml", "name : example\nrule : /example/*\n---\nx = grab();\n");

        var (item, detail) = root.Problems().Should().ContainSingle().Subject;

        item.Should().Be("models/oml/example.oml:4:5");
        detail.Should().Contain("unknown function 'grab'");
    }

    [Fact]
    public void An_oml_name_no_model_defines_is_reported_at_the_name_in_the_group_file()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/orders.toml", Group.Replace("[\"example\"]", "[\"example\", \"nosuch\"]", StringComparison.Ordinal));

        root.Problems().Should().ContainSingle().Which.Should().Be((
            "sink/business.d/orders.toml:5:20",
            "group 'orders': oml model 'nosuch' does not exist (known: example)"));
    }

    [Fact]
    public void A_missing_wpl_folder_is_reported_at_its_key_in_wparse_toml()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("conf/wparse.toml", "version = \"1.0\"\n\n[models]\nwpl = \"./models/rules\"\n");

        root.Problems().Should().ContainSingle().Which.Should().Be((
            "conf/wparse.toml:4:1", "WPL rules folder is missing: models.wpl = models/rules"));
    }

    [Fact]
    public void A_missing_sink_folder_is_reported_in_wparse_toml()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("conf/wparse.toml", "version = \"1.0\"\nsink_root = \"./sinks\"\n");

        root.Problems().Should().ContainSingle().Which.Should().Be((
            "conf/wparse.toml:2:1", "sink folder is missing: no groups, no defaults: sink_root = sinks"));
    }

    [Fact]
    public void A_folder_that_is_not_a_work_root_fails_at_the_engine_config()
    {
        using var root = TempWorkRoot.Create();

        var (code, output, _) = root.Check();

        code.Should().Be(4);
        output.Should().Contain("conf/wparse.toml  FAIL    engine config not found");
    }

    [Fact]
    public void Missing_data_folders_and_infra_groups_are_warnings_not_problems()
    {
        using var root = TempWorkRoot.Create().Initialised().Delete("sink/infra.d/monitor.toml");
        Directory.Delete(root.PathOf("data"), recursive: true);

        var report = ProjectCheck.Check(root.WorkRoot);

        report.Failures.Should().Be(0);
        report.Items.Where(i => i.Result == CheckResult.Warn).Select(i => i.Detail).Should().Contain(
            "infra group 'monitor' missing: its records are counted and dropped",
            "missing (rescue_root); created on first write",
            "missing (sink output); created on first write");
    }

    [Fact]
    public void Every_line_fits_in_80_columns_even_with_long_problems()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/a/deeply/nested/folder/of/groups/orders.toml", Group.Replace("file_kv_sink", "kafka_sink", StringComparison.Ordinal));

        var (_, output, _) = root.Check();

        output.Split('\n').Skip(1).Should().OnlyContain(l => l.Length <= 80);
        output.Should().Contain("…");
    }
}
