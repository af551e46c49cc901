using Wp.Core.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

public sealed class ProjectLoaderErrorTests
{
    [Fact]
    public void Missing_wparse_toml_names_the_path()
    {
        using var root = TempWorkRoot.Create();

        var act = () => ProjectLoader.Load(root.WorkRoot);

        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        problem.File.Should().Be(root.PathOf("conf/wparse.toml"));
        problem.Message.Should().Contain("not found");
        var engineOnly = () => ProjectLoader.LoadEngine(root.WorkRoot);
        engineOnly.Should().Throw<ConfigException>().WithMessage($"*{root.PathOf("conf/wparse.toml")}*");
    }

    [Fact]
    public void Malformed_toml_reports_the_parser_line_and_column()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", """
                version = "1.0"
                speed_limit = 
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("conf/wparse.toml"));
        problem.Line.Should().Be(2);
        problem.Column.Should().Be(15);
        problem.Message.Should().StartWith("invalid TOML");
        problem.ToString().Should().StartWith($"{root.PathOf("conf/wparse.toml")}:2:15: invalid TOML");
    }

    [Fact]
    public void Malformed_toml_in_a_group_file_is_reported_with_the_other_problems()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/broken.toml", """
                [sink_group]
                name = "broken
                """)
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "file_1"
                connect = "file_source"
                """);

        var problems = root.LoadProblems();

        problems.Should().Contain(p => p.File == root.PathOf("sink/business.d/broken.toml") && p.Line == 2 && p.Column != null);
        problems.Should().Contain(p => p.File == root.PathOf("conf/wpsrc.toml") && p.Line == 3 && p.Message.Contains("unknown source connector 'file_source'"));
    }

    [Fact]
    public void A_duplicate_toml_key_is_a_syntax_problem_with_its_line()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", """
                parse_workers = 2
                parse_workers = 3
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(2);
        problem.Message.Should().Contain("parse_workers");
    }

    public static TheoryData<string, string, int, string> UnknownKeys => new()
    {
        { "conf/wparse.toml", "version = \"1.0\"\nspeed_limt = 5\n", 2, "unknown key 'speed_limt' in the top level" },
        { "conf/wparse.toml", "[rescue]\norder = \"newest\"\nordr = \"oldest\"\n", 3, "unknown key 'ordr' in [rescue]" },
        { "conf/wparse.toml", "[log_conf]\n[log_conf.file]\npaht = \"./logs\"\n", 3, "unknown key 'paht' in [log_conf.file]" },
        { "conf/wparse.toml", "[stats]\nwindow_sec = 5\n", 1, "unknown key 'stats' in the top level" },
        { "conf/wpsrc.toml", "[[sources]]\nkey = \"a\"\nconnect = \"file_src\"\nenabled = true\n", 4, "unknown key 'enabled' in [[sources]]" },
        { "conf/wpsrc.toml", "[[sources]]\nkey = \"a\"\nconnect = \"file_src\"\nparams = { base = \"x\", fil = \"y\" }\n", 4, "param 'fil' of source 'a' is not known to connector 'file_src'" },
        { "sink/defaults.toml", "[defaults.expect]\nbassis = \"total_input\"\n", 2, "unknown key 'bassis' in [defaults.expect]" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\nbatch = 3\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n", 4, "unknown key 'batch' in [sink_group]" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\nfilter = \"x\"\n", 6, "unknown key 'filter' in [[sink_group.sinks]]" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n[sink_group.sinks.expect]\nratio = 0.5\ntoll = 0.1\n", 8, "unknown key 'toll' in [sink_group.sinks.expect]" },
        { "sink/infra.d/miss.toml", "[sink_group]\nname = \"miss\"\nbatch_sise = 3\n", 3, "unknown key 'batch_sise' in [sink_group]" },
        { "connectors/sink.d/c.toml", "[[connectors]]\nid = \"c\"\ntype = \"file\"\nallow = [\"file\"]\n", 4, "unknown key 'allow' in [[connectors]]" },
    };

    [Theory]
    [MemberData(nameof(UnknownKeys))]
    public void An_unknown_key_names_file_line_and_key(string file, string content, int line, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject().Write(file, content);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf(file));
        problem.Line.Should().Be(line);
        problem.Message.Should().Contain(message);
    }

    public static TheoryData<string, string, int, string> BadValues => new()
    {
        { "conf/wparse.toml", "speed_limit = \"fast\"\n", 1, "speed_limit must be an integer" },
        { "conf/wparse.toml", "\nparse_workers = 0\n", 2, "parse_workers must be between 1 and 1024 (got 0)" },
        { "conf/wparse.toml", "[models]\nwpl = 3\n", 2, "models.wpl must be a string" },
        { "conf/wparse.toml", "[rescue]\nidle_exit_sec = \"3\"\n", 2, "rescue.idle_exit_sec must be a number" },
        { "conf/wparse.toml", "[rescue]\norder = \"latest\"\n", 2, "rescue.order must be one of newest | oldest (got 'latest')" },
        { "conf/wparse.toml", "[log_conf]\noutput = \"syslog\"\n", 2, "log_conf.output must be one of file | console | both" },
        { "conf/wparse.toml", "[log_conf]\nlevel = \"warn,ctrl=loud\"\n", 2, "'ctrl=loud' is not LEVEL or TARGET=LEVEL" },
        { "conf/wparse.toml", "[stat]\nwindow_sec = 1.5\n", 2, "stat.window_sec must be an integer" },
        { "conf/wpsrc.toml", "[[sources]]\nkey = \"a\"\nenable = \"yes\"\nconnect = \"file_src\"\n", 3, "sources.enable must be a boolean" },
        { "sink/defaults.toml", "[defaults.expect]\nbasis = \"all\"\n", 2, "basis must be one of total_input | group_input" },
        { "sink/defaults.toml", "[defaults.expect]\nmode = \"fatal\"\n", 2, "mode must be one of warn | error" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\non_error = \"retry\"\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n", 4, "on_error must be one of fix_retry | tolerant | throw" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = \"/a\"\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n", 3, "sink_group.rule must be an array of strings" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"file_kv_sink\"\nparams = { fmt = \"xml\" }\n", 6, "param 'fmt' of sink 'g_0' must be one of kv | json | raw | proto-text" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"file_rescue_sink\"\nparams = { up_ms = \"1s\" }\n", 6, "param 'up_ms' of sink 'g_0' must be a non-negative integer" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n[sink_group.sinks.expect]\nratio = 1.5\n", 7, "sink_group.sinks.expect.ratio must be between 0 and 1 (got 1.5)" },
        { "sink/infra.d/x.toml", "[sink_group]\nname = \"misc\"\n", 2, "'misc' is not an infra group" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"miss\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n", 2, "business group name 'miss' is reserved" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\n[[sink_group.sinks]]\nconnect = \"blackhole_sink\"\n", 1, "business group 'g' claims nothing" },
        { "sink/business.d/benchmark.toml", "version = \"2.0\"\n", 1, "missing table [sink_group]" },
        { "sink/business.d/benchmark.toml", "[sink_group]\nname = \"g\"\nrule = [\"/a\"]\n[[sink_group.sinks]]\nname = \"x\"\n", 4, "missing required key 'connect' in [[sink_group.sinks]]" },
        { "connectors/sink.d/c.toml", "[[connectors]]\nid = \"c\"\ntype = \"kafka\"\n", 3, "unknown connector type 'kafka'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_names_file_and_line(string file, string content, int line, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject().Write(file, content);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf(file));
        problem.Line.Should().Be(line);
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void A_duplicate_sink_name_across_groups_names_both_places()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/infra.d/error.toml", """
                [sink_group]
                name = "error"

                [[sink_group.sinks]]
                name = "benchmark_file_sink"
                connect = "file_kv_sink"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("sink/infra.d/error.toml"));
        problem.Line.Should().Be(4);
        problem.Message.Should().Contain("duplicate sink name 'benchmark_file_sink'")
            .And.Contain($"{root.PathOf("sink/business.d/benchmark.toml")}:7");
    }

    [Fact]
    public void Two_sinks_writing_one_file_is_a_problem_naming_both()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/z.toml", """
                [sink_group]
                name = "z"
                rule = ["/z/*"]
                [[sink_group.sinks]]
                name = "z_a"
                connect = "file_kv_sink"
                params = { file = "same.kv" }
                [[sink_group.sinks]]
                name = "z_b"
                connect = "file_json_sink"
                params = { file = "same.kv" }
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(8);
        problem.Message.Should().Contain("sink 'z_b' writes").And.Contain("same.kv").And.Contain("sink 'z_a' already writes");
    }

    [Fact]
    public void A_default_sink_name_can_collide_with_an_explicit_one()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/z.toml", """
                [sink_group]
                name = "z"
                rule = ["/z/*"]
                [[sink_group.sinks]]
                connect = "blackhole_sink"
                [[sink_group.sinks]]
                name = "z_0"
                connect = "blackhole_sink"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(6);
        problem.Message.Should().Contain("duplicate sink name 'z_0'");
    }

    [Fact]
    public void A_sink_name_with_other_characters_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]

                [[sink_group.sinks]]
                name = "bench-mark sink"
                connect = "blackhole_sink"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(6);
        problem.Message.Should().Contain("sink name 'bench-mark sink' must match [A-Za-z0-9_.]+");
    }

    [Fact]
    public void An_unknown_connector_is_a_problem_at_the_connect_line()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]

                [[sink_group.sinks]]
                name = "s"
                connect = "file_kv_snik"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("sink/business.d/benchmark.toml"));
        problem.Line.Should().Be(7);
        problem.Message.Should().Contain("unknown connector 'file_kv_snik' for sink 's'").And.Contain("file_kv_sink");
    }

    [Fact]
    public void A_source_connector_cannot_be_used_by_a_sink()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]
                [[sink_group.sinks]]
                connect = "file_src"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(5);
        problem.Message.Should().Contain("unknown connector 'file_src'");
    }

    [Fact]
    public void A_param_outside_allow_override_is_a_problem_at_its_line()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("connectors/sink.d/locked.toml", """
                [[connectors]]
                id = "locked_sink"
                type = "file"
                allow_override = ["file"]
                [connectors.params]
                base = "./out"
                file = "a.kv"
                """)
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]

                [[sink_group.sinks]]
                connect = "locked_sink"
                [sink_group.sinks.params]
                file = "b.kv"
                base = "/elsewhere"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("sink/business.d/benchmark.toml"));
        problem.Line.Should().Be(9);
        problem.Message.Should().Contain("param 'base' of sink 'benchmark_0' may not be overridden: connector 'locked_sink' allows file");
    }

    [Fact]
    public void Blackhole_takes_no_params()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]
                [[sink_group.sinks]]
                connect = "blackhole_sink"
                params = { file = "x" }
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(6);
        problem.Message.Should().Contain("allows none");
    }

    [Fact]
    public void An_unknown_source_connector_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "k"
                connect = "kafka_src"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("conf/wpsrc.toml"));
        problem.Line.Should().Be(3);
        problem.Message.Should().Contain("unknown source connector 'kafka_src'").And.Contain("file_src");
    }

    [Fact]
    public void A_duplicate_source_key_is_a_problem_naming_the_first()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "file_1"
                connect = "file_src"

                [[sources]]
                key = "file_1"
                connect = "file_src"
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(6);
        problem.Message.Should().Contain("duplicate source key 'file_1'").And.Contain($"{root.PathOf("conf/wpsrc.toml")}:2");
    }

    [Fact]
    public void A_missing_sources_file_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject().Delete("conf/wpsrc.toml");

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("conf/wpsrc.toml"));
        problem.Message.Should().Contain("not found");
    }

    [Fact]
    public void Duplicate_group_and_infra_names_are_problems()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("sink/business.d/again.toml", ConfigFixtures.MinimalBusinessGroup.Replace("benchmark_file_sink", "other", StringComparison.Ordinal))
            .Write("sink/infra.d/a.toml", "[sink_group]\nname = \"miss\"\n")
            .Write("sink/infra.d/b.toml", "[sink_group]\nname = \"miss\"\n");

        var problems = root.LoadProblems();

        problems.Should().HaveCount(2);
        problems.Should().Contain(p => p.File == root.PathOf("sink/business.d/benchmark.toml") && p.Line == 4
            && p.Message.Contains("duplicate group name 'benchmark'"));
        problems.Should().Contain(p => p.File == root.PathOf("sink/infra.d/b.toml") && p.Line == 2
            && p.Message.Contains("duplicate group name 'miss'"));
    }

    [Fact]
    public void Every_problem_of_every_file_is_reported_in_one_exception()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", """
                speed_limt = 5
                parse_workers = "two"
                [rescue]
                order = "random"
                """)
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "a"
                connect = "nope"
                """)
            .Write("sink/business.d/benchmark.toml", """
                [sink_group]
                name = "benchmark"
                rule = ["/sys/*"]
                [[sink_group.sinks]]
                name = "bad name"
                connect = "file_kv_sink"
                params = { colour = "red" }
                """);

        var act = () => ProjectLoader.Load(root.WorkRoot);

        var ex = act.Should().Throw<ConfigException>().Which;
        ex.Problems.Select(p => (Path.GetFileName(p.File), p.Line)).Should().BeEquivalentTo(
        [
            ("wparse.toml", 1),
            ("wparse.toml", 2),
            ("wparse.toml", 4),
            ("wpsrc.toml", 3),
            ("benchmark.toml", 5),
            ("benchmark.toml", 7),
        ]);
        ex.Message.Split(Environment.NewLine).Should().HaveCount(6);
        ex.Message.Should().Contain($"{root.PathOf("conf/wparse.toml")}:1:1: unknown key 'speed_limt'");
    }
}

public sealed class ConnectorFileTests
{
    [Fact]
    public void A_connector_file_replaces_a_built_in_of_the_same_id()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("connectors/sink.d/kv.toml", """
                [[connectors]]
                id = "file_kv_sink"
                type = "file"
                allow_override = ["file", "fmt"]
                [connectors.params]
                base = "./kv_out"
                fmt = "json"
                """);

        var config = ProjectLoader.Load(root.WorkRoot);

        var sink = config.AllSinks.Single();
        sink.OutputPath.Should().Be(root.PathOf("kv_out/benchmark.dat"));
        sink.Format.Should().Be("json");
        config.Connectors["file_kv_sink"].SourceFile.Should().Be(root.PathOf("connectors/sink.d/kv.toml"));
    }

    [Fact]
    public void A_duplicate_connector_id_across_files_names_the_first()
    {
        const string Def = "[[connectors]]\nid = \"c\"\ntype = \"blackhole\"\n";
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("connectors/sink.d/a.toml", Def)
            .Write("connectors/sink.d/b.toml", Def);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("connectors/sink.d/b.toml"));
        problem.Line.Should().Be(1);
        problem.Message.Should().Contain("duplicate connector id 'c'").And.Contain($"{root.PathOf("connectors/sink.d/a.toml")}:1");
    }

    [Fact]
    public void A_file_connector_without_a_file_param_is_reported_at_the_connector_definition()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("connectors/sink.d/c.toml", "[[connectors]]\nid = \"nofile\"\ntype = \"file\"\n")
            .Write("sink/infra.d/miss.toml", "[sink_group]\nname = \"miss\"\n[[sink_group.sinks]]\nconnect = \"nofile\"\n");

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("connectors/sink.d/c.toml"));
        problem.Message.Should().Contain("sink 'miss_0' needs param 'file'");
    }
}
