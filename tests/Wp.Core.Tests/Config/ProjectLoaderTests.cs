using Wp.Core.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

public sealed class ProjectLoaderTests
{
    [Fact]
    public void A_complete_work_root_loads_with_values_defaults_resolved_paths_and_merged_params()
    {
        using var root = TempWorkRoot.Create()
            .Write("conf/wparse.toml", """
                version = "1.0"
                rescue_root = "./data/rescue"
                sink_root = "./sink"
                src_conf = "./conf/wpsrc.toml"
                speed_limit = 5000
                parse_workers = 3

                [models]
                wpl = "./models/wpl"
                oml = "./models/oml"

                [rescue]
                order = "oldest"
                max_file_bytes = 1024
                checkpoint_every_lines = 50
                idle_exit_sec = 1.5

                [log_conf]
                level = "warn,ctrl=info,launch=info,recover=info"
                output = "both"
                [log_conf.file]
                path = "./logs"

                [stat]
                window_sec = 5
                """)
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "file_1"
                enable = true
                connect = "file_src"
                params = { base = "./data/in_dat", file = "gen.dat" }

                [[sources]]
                key = "file_2"
                enable = false
                connect = "file_src"
                params = { file = "other.dat" }
                """)
            .Write("sink/defaults.toml", """
                [defaults.expect]
                basis = "group_input"
                min_samples = 10
                mode = "warn"
                sum_tol = 0.02
                """)
            .Write("sink/business.d/benchmark.toml", """
                version = "2.0"

                [sink_group]
                name     = "benchmark"
                oml      = ["sys"]
                on_error = "tolerant"
                batch_size = 64

                [[sink_group.sinks]]
                name    = "benchmark_file_sink"
                connect = "file_rescue_sink"
                params  = { file = "benchmark.dat", down_ms = 500 }
                [sink_group.sinks.expect]
                ratio = 0.66
                tol   = 0.02

                [[sink_group.sinks]]
                connect = "file_json_sink"
                """)
            .Write("sink/business.d/sub/nested.toml", """
                [sink_group]
                name = "a/b"
                rule = ["/a/*"]
                [sink_group.expect]
                min_samples = 5
                [[sink_group.sinks]]
                connect = "blackhole_sink"
                """)
            .Write("sink/infra.d/default.toml", """
                [sink_group]
                name = "default"
                [[sink_group.sinks]]
                name = "default_sink"
                connect = "my_json"
                params = { file = "dflt.json" }
                """)
            .Write("sink/infra.d/miss.toml", """
                [sink_group]
                name = "miss"
                """)
            .Write("connectors/sink.d/custom.toml", """
                [[connectors]]
                id = "my_json"
                type = "file"
                allow_override = ["file"]
                [connectors.params]
                fmt = "json"
                base = "./out"
                file = "x.json"
                """)
            .Write("models/oml/sys.oml", """
                name : sys
                rule : /sys/*
                ---
                * : auto = take() ;
                """);

        var config = ProjectLoader.Load(root.WorkRoot);

        var engine = config.Engine;
        engine.Version.Should().Be("1.0");
        engine.RescueRoot.Should().Be(root.PathOf("data/rescue"));
        engine.SinkRoot.Should().Be(root.PathOf("sink"));
        engine.SrcConf.Should().Be(root.PathOf("conf/wpsrc.toml"));
        engine.SpeedLimit.Should().Be(5000);
        engine.ParseWorkers.Should().Be(3);
        engine.WplRoot.Should().Be(root.PathOf("models/wpl"));
        engine.OmlRoot.Should().Be(root.PathOf("models/oml"));
        engine.Rescue.Order.Should().Be(RescueOrder.Oldest);
        engine.Rescue.MaxFileBytes.Should().Be(1024);
        engine.Rescue.CheckpointEveryLines.Should().Be(50);
        engine.Rescue.IdleExitSec.Should().Be(1.5);
        engine.Log.Level.Should().Be("warn,ctrl=info,launch=info,recover=info");
        engine.Log.Output.Should().Be(LogOutput.Both);
        engine.Log.Path.Should().Be(root.PathOf("logs"));
        engine.StatWindowSec.Should().Be(5);

        config.Sources.Should().HaveCount(2);
        config.Sources[0].Key.Should().Be("file_1");
        config.Sources[0].Enable.Should().BeTrue();
        config.Sources[0].Path.Should().Be(root.PathOf("data/in_dat/gen.dat"));
        config.Sources[1].Enable.Should().BeFalse();
        config.Sources[1].Path.Should().Be(root.PathOf("data/in_dat/other.dat"), "base comes from the file_src default");

        config.ExpectDefaults.Basis.Should().Be("group_input");
        config.ExpectDefaults.MinSamples.Should().Be(10);
        config.ExpectDefaults.Mode.Should().Be("warn");
        config.ExpectDefaults.SumTol.Should().Be(0.02);
        config.ExpectDefaults.OthersMax.Should().BeNull();

        config.BusinessGroups.Select(g => g.Name).Should().Equal("benchmark", "a/b");
        var benchmark = config.BusinessGroups[0];
        benchmark.IsInfra.Should().BeFalse();
        benchmark.Oml.Should().Equal("sys");
        benchmark.Rule.Should().BeEmpty();
        benchmark.OnError.Should().Be(OnError.Tolerant);
        benchmark.BatchSize.Should().Be(64);
        benchmark.BatchTimeoutMs.Should().Be(300);
        benchmark.SourceFile.Should().Be(root.PathOf("sink/business.d/benchmark.toml"));

        var rescueSink = benchmark.Sinks[0];
        rescueSink.Name.Should().Be("benchmark_file_sink");
        rescueSink.Type.Should().Be("test_rescue");
        rescueSink.Format.Should().Be("kv");
        rescueSink.OutputPath.Should().Be(root.PathOf("data/out_dat/benchmark.dat"));
        rescueSink.Params.Should().Contain("up_ms", 2000L).And.Contain("down_ms", 500L).And.Contain("file", "benchmark.dat");
        rescueSink.Expect!.Ratio.Should().Be(0.66);
        rescueSink.Expect.Tol.Should().Be(0.02);
        rescueSink.SourceLine.Should().Be(9);

        var jsonSink = benchmark.Sinks[1];
        jsonSink.Name.Should().Be("benchmark_1");
        jsonSink.Format.Should().Be("json");
        jsonSink.OutputPath.Should().Be(root.PathOf("data/out_dat/default.json"));
        jsonSink.Expect.Should().BeNull();

        var nested = config.BusinessGroups[1];
        nested.Rule.Should().Equal("/a/*");
        nested.Expect!.MinSamples.Should().Be(5);
        nested.Sinks.Single().Name.Should().Be("a_b_0");
        nested.Sinks.Single().Type.Should().Be("blackhole");
        nested.Sinks.Single().OutputPath.Should().BeNull();

        config.InfraGroups.Keys.Should().BeEquivalentTo("default", "miss");
        config.InfraGroups["miss"].Sinks.Should().BeEmpty();
        config.InfraGroups["miss"].IsInfra.Should().BeTrue();
        var defaultSink = config.InfraGroups["default"].Sinks.Single();
        defaultSink.OutputPath.Should().Be(root.PathOf("out/dflt.json"));
        defaultSink.Format.Should().Be("json");

        config.Connectors.Should().ContainKeys("my_json", "file_kv_sink", "file_src");
        config.AllSinks.Select(s => s.Name).Should().Equal("benchmark_file_sink", "benchmark_1", "a_b_0", "default_sink");
    }

    [Fact]
    public void A_minimal_work_root_gets_the_documented_defaults()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject();

        var config = ProjectLoader.Load(root.WorkRoot);

        var engine = config.Engine;
        engine.RescueRoot.Should().Be(root.PathOf("data/rescue"));
        engine.SinkRoot.Should().Be(root.PathOf("sink"));
        engine.SrcConf.Should().Be(root.PathOf("conf/wpsrc.toml"));
        engine.WplRoot.Should().Be(root.PathOf("models/wpl"));
        engine.OmlRoot.Should().Be(root.PathOf("models/oml"));
        engine.SpeedLimit.Should().Be(0);
        engine.ParseWorkers.Should().Be(2);
        engine.Rescue.Order.Should().Be(RescueOrder.Newest);
        engine.Rescue.MaxFileBytes.Should().Be(67108864);
        engine.Rescue.CheckpointEveryLines.Should().Be(1000);
        engine.Rescue.IdleExitSec.Should().Be(3);
        engine.Log.Level.Should().Be("warn,ctrl=info,launch=info,recover=info");
        engine.Log.Output.Should().Be(LogOutput.File);
        engine.Log.Path.Should().Be(root.PathOf("logs"));
        engine.StatWindowSec.Should().Be(60);

        config.Sources.Single().Path.Should().Be(root.PathOf("data/in_dat/gen.dat"));
        config.ExpectDefaults.Basis.Should().Be("total_input");
        config.ExpectDefaults.MinSamples.Should().Be(100);
        config.ExpectDefaults.Mode.Should().Be("error");
        config.InfraGroups.Should().BeEmpty("a missing infra group file is allowed");
        var sink = config.BusinessGroups.Single().Sinks.Single();
        sink.OnErrorOf(config).Should().Be(OnError.FixRetry);
        sink.OutputPath.Should().Be(root.PathOf("data/out_dat/benchmark.dat"));
        sink.Format.Should().Be("kv");
    }

    [Fact]
    public void Upstream_layout_aliases_are_accepted()
    {
        using var root = TempWorkRoot.Create()
            .Write("conf/wparse.toml", """
                [topology]
                sinks = "./topology/sinks"
                sources = "./topology/sources/wpsrc.toml"

                [rescue]
                path = "./rescue_here"

                [performance]
                rate_limit_rps = 300
                """)
            .Write("topology/sources/wpsrc.toml", ConfigFixtures.MinimalSources)
            .Write("topology/sinks/business.d/benchmark.toml", ConfigFixtures.MinimalBusinessGroup);

        var config = ProjectLoader.Load(root.WorkRoot);

        config.Engine.SinkRoot.Should().Be(root.PathOf("topology/sinks"));
        config.Engine.SrcConf.Should().Be(root.PathOf("topology/sources/wpsrc.toml"));
        config.Engine.RescueRoot.Should().Be(root.PathOf("rescue_here"));
        config.Engine.SpeedLimit.Should().Be(300);
        config.BusinessGroups.Should().ContainSingle();
    }

    [Fact]
    public void Setting_a_key_and_its_alias_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", """
                speed_limit = 10
                [performance]
                rate_limit_rps = 300
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("conf/wparse.toml"));
        problem.Line.Should().Be(3);
        problem.Message.Should().Contain("alias");
    }

    [Fact]
    public void LoadEngine_reads_only_wparse_toml()
    {
        using var root = TempWorkRoot.Create().Write("conf/wparse.toml", "parse_workers = 4\n");

        var engine = ProjectLoader.LoadEngine(root.WorkRoot);

        engine.ParseWorkers.Should().Be(4);
        engine.RescueRoot.Should().Be(root.PathOf("data/rescue"));
    }

    [Fact]
    public void Folder_files_load_in_ordinal_relative_path_order()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Delete("sink/business.d/benchmark.toml")
            .Write("sink/business.d/b.toml", Group("b", "/b/*"))
            .Write("sink/business.d/a/z.toml", Group("a_z", "/az/*"))
            .Write("sink/business.d/B.toml", Group("B", "/B/*"))
            .Write("sink/business.d/a.toml", Group("a", "/a/*"));

        var config = ProjectLoader.Load(root.WorkRoot);

        config.BusinessGroups.Select(g => g.Name).Should().Equal("B", "a", "a_z", "b");

        static string Group(string name, string rule) => $"""
            [sink_group]
            name = "{name}"
            rule = ["{rule}"]
            [[sink_group.sinks]]
            connect = "blackhole_sink"
            """;
    }
}

internal static class SinkTestExtensions
{
    public static OnError OnErrorOf(this SinkOptions sink, ProjectConfig config) =>
        config.AllGroups.Single(g => g.Name == sink.Group).OnError;
}
