using Wp.Core.Config;
using Wp.Core.Tests.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Upstream;

/// <summary>
/// WarpParse (upstream) spellings of conf/wparse.toml and the sources: each loads to the same
/// options as its seed-layout twin, and the check can tell which spelling was read.
/// </summary>
public sealed class UpstreamConfigTests
{
    public static TheoryData<string, string, string> EngineTwins => new()
    {
        { "parse_workers", "parse_workers = 3", "[performance]\nparse_workers = 3" },
        { "speed_limit", "speed_limit = 300", "[performance]\nrate_limit_rps = 300" },
        { "rescue_root", "rescue_root = \"./rescue_here\"", "[rescue]\npath = \"./rescue_here\"" },
        { "sink_root", "sink_root = \"./topology/sinks\"", "[topology]\nsinks = \"./topology/sinks\"" },
        { "src_conf", "src_conf = \"./topology/sources/wpsrc.toml\"", "[topology]\nsources = \"./topology/sources/wpsrc.toml\"" },
        { "log output", "[log_conf]\noutput = \"both\"", "[log_conf]\noutput = \"Both\"" },
        { "log output file", "[log_conf]\noutput = \"file\"", "[log_conf]\noutput = \"File\"" },
        { "rescue order", "[rescue]\norder = \"oldest\"", "[rescue]\norder = \"Oldest\"" },
        { "log file path", "[log_conf.file]\npath = \"./data/logs\"", "[log_conf]\n[log_conf.file]\npath = \"./data/logs\"" },
    };

    [Theory]
    [MemberData(nameof(EngineTwins))]
    public void An_upstream_engine_key_loads_like_its_seed_twin(string what, string seed, string upstream)
    {
        var fromSeed = LoadEngine(seed, what);
        var fromUpstream = LoadEngine(upstream, what);

        fromUpstream.Should().BeEquivalentTo(fromSeed, o => o.Excluding(e => e.Spellings), what);
    }

    [Fact]
    public void The_spelling_read_is_recorded_only_for_upstream_keys()
    {
        var upstream = LoadEngine("[performance]\nparse_workers = 3\nrate_limit_rps = 9\n[rescue]\npath = \"./r\"\n[topology]\nsinks = \"./s\"\nsources = \"./t\"", "all");
        var seed = LoadEngine("parse_workers = 3\nspeed_limit = 9\nrescue_root = \"./r\"\nsink_root = \"./s\"\nsrc_conf = \"./t\"", "all");

        upstream.Spellings.Should().BeEquivalentTo(new[]
        {
            new ConfigSpelling("rescue.path", "rescue_root"),
            new ConfigSpelling("topology.sinks", "sink_root"),
            new ConfigSpelling("topology.sources", "src_conf"),
            new ConfigSpelling("performance.rate_limit_rps", "speed_limit"),
            new ConfigSpelling("performance.parse_workers", "parse_workers"),
        });
        seed.Spellings.Should().BeEmpty();
    }

    [Fact]
    public void Setting_parse_workers_in_both_places_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", "parse_workers = 2\n[performance]\nparse_workers = 4\n");

        root.LoadProblems().Should().ContainSingle().Which.Message.Should().Contain("alias of parse_workers");
    }

    [Theory]
    [InlineData("[log_conf]\noutput = \"Syslog\"", "log_conf.output must be one of file | console | both (got 'Syslog')")]
    [InlineData("[performance]\nparse_workers = 0", "performance.parse_workers must be between 1 and 1024")]
    [InlineData("[performance]\nworkers = 2", "unknown key 'workers' in [performance]")]
    [InlineData("[[stat.pick]]\nkey = \"p\"\ntop_n = 0", "stat.pick.top_n must be between 1 and 1000000")]
    [InlineData("[[stat.pick]]\nkey = \"p\"\nwhat = 1", "unknown key 'what' in [[stat.pick]]")]
    [InlineData("[[stat.load]]\nkey = \"p\"", "unknown key 'load' in [stat]")]
    public void Upstream_keys_are_still_validated(string engine, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject().Write("conf/wparse.toml", engine);

        root.LoadProblems().Should().ContainSingle().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Stat_tables_load_with_key_target_fields_and_top_n()
    {
        var engine = LoadEngine("""
            [stat]
            window_sec = 60

            [[stat.pick]]
            key = "pick_stat"
            target = "*"
            fields = []
            top_n = 20

            [[stat.parse]]
            key = "parse_stat"
            target = "/sys/*"

            [[stat.sink]]
            key = "sink_stat"
            target = "*"
            top_n = 3
            """, "stat");

        engine.StatRequests.Should().BeEquivalentTo(
            new[]
            {
                new StatRequest("pick", "pick_stat", "*", [], 20),
                new StatRequest("parse", "parse_stat", "/sys/*", [], null),
                new StatRequest("sink", "sink_stat", "*", [], 3),
            },
            o => o.WithStrictOrdering());
        engine.NoEffect.Should().BeEmpty();
    }

    [Fact]
    public void Upstream_keys_wp_does_not_act_on_are_read_with_a_note_not_a_problem()
    {
        var engine = LoadEngine("""
            robust = "normal"
            [performance]
            reload_timeout_ms = 10000
            fetch_timeout_ms = 300
            [[stat.sink]]
            key = "sink_stat"
            fields = ["sip"]
            """, "no effect");

        engine.NoEffect.Select(n => (n.Line, n.Message.Split(' ')[0])).Should().Equal(
            (1, "robust"), (3, "performance.reload_timeout_ms"), (4, "performance.fetch_timeout_ms"), (7, "stat.sink"));
    }

    [Fact]
    public void Models_knowledge_defaults_to_models_knowledge_and_can_be_moved()
    {
        using var root = TempWorkRoot.Create();
        LoadEngine("", "default", root).KnowledgeRoot.Should().Be(root.PathOf("models/knowledge"));
        LoadEngine("[models]\nknowledge = \"./kb\"", "moved", root).KnowledgeRoot.Should().Be(root.PathOf("kb"));
    }

    [Fact]
    public void A_sources_folder_of_single_source_files_loads_like_the_seed_sources_file()
    {
        using var seed = TempWorkRoot.Create().WithMinimalProject()
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
                params = { base = "./data/in_dat", file = "other.dat" }
                """);
        using var upstream = TempWorkRoot.Create().WithMinimalProject()
            .Delete("conf/wpsrc.toml")
            .Write("conf/wparse.toml", "[topology]\nsources = \"./topology/sources\"\n")
            .Write("topology/sources/file_1.toml", "key = \"file_1\"\nenable = true\nconnect = \"file_src\"\ntags = []\nparams  = { file = \"gen.dat\"}\n")
            .Write("topology/sources/more/wpsrc.toml", "[[sources]]\nkey = \"file_2\"\nenable = false\nconnect = \"file_src\"\n[sources.params]\nfile = \"other.dat\"\n");

        var fromSeed = ProjectLoader.Load(seed.WorkRoot).Sources;
        var fromUpstream = ProjectLoader.Load(upstream.WorkRoot).Sources;

        fromUpstream.Select(s => (s.Key, s.Enable, s.Connect, Path: Path.GetRelativePath(upstream.FullPath, s.Path!)))
            .Should().Equal(fromSeed.Select(s => (s.Key, s.Enable, s.Connect, Path: Path.GetRelativePath(seed.FullPath, s.Path!))));
        fromUpstream[0].Path.Should().Be(upstream.PathOf("data/in_dat/gen.dat"), "a source without base reads the default folder");
        fromUpstream.Select(s => s.SourceFile).Should().Equal(upstream.PathOf("topology/sources/file_1.toml"), upstream.PathOf("topology/sources/more/wpsrc.toml"));
    }

    [Fact]
    public void A_source_key_used_in_two_files_of_the_folder_is_a_problem_naming_both()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", "[topology]\nsources = \"./topology/sources\"\n")
            .Write("topology/sources/a.toml", "key = \"file_1\"\nconnect = \"file_src\"\n")
            .Write("topology/sources/b.toml", "[[sources]]\nkey = \"file_1\"\nconnect = \"file_src\"\n");

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("topology/sources/b.toml"));
        problem.Line.Should().Be(2);
        problem.Message.Should().Contain($"duplicate source key 'file_1' (first at {root.PathOf("topology/sources/a.toml")}:1)");
    }

    [Fact]
    public void An_empty_sources_folder_is_a_problem()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", "[topology]\nsources = \"./topology/sources\"\n")
            .Write("topology/sources/README.md", "no sources here");

        root.LoadProblems().Should().ContainSingle().Which.Message.Should().Contain("sources folder holds no *.toml file");
    }

    [Fact]
    public void An_unknown_key_in_a_single_source_file_is_reported()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wparse.toml", "[topology]\nsources = \"./topology/sources\"\n")
            .Write("topology/sources/file_1.toml", "key = \"file_1\"\nconnect = \"file_src\"\nenabled = true\n");

        var problem = root.LoadProblems().Should().ContainSingle().Subject;
        problem.Line.Should().Be(3);
        problem.Message.Should().Contain("unknown key 'enabled'");
    }

    [Fact]
    public void Unnamed_sinks_of_a_slash_group_get_stable_file_name_safe_names()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("models/oml/sys.oml", "name : sys\nrule : /sys/*\n---\n* : auto = take() ;\n")
            .Write("sink/business.d/benchmark.toml", """
                version = "2.0"
                [sink_group]
                name = "/sink/benchmark"
                oml = ["sys"]
                [[sink_group.sinks]]
                connect = "file_kv_sink"
                params = { file = "benchmark.dat" }
                [[sink_group.sinks]]
                name = "kept"
                connect = "file_kv_sink"
                params = { file = "kept.dat" }
                [[sink_group.sinks]]
                connect = "file_kv_sink"
                params = { file = "third.dat" }
                """);

        var sinks = ProjectLoader.Load(root.WorkRoot).AllSinks.ToList();
        var again = ProjectLoader.Load(root.WorkRoot).AllSinks.ToList();

        sinks.Select(s => (s.Name, s.IsNamed)).Should().Equal(("_sink_benchmark_0", false), ("kept", true), ("_sink_benchmark_2", false));
        again.Select(s => s.Name).Should().Equal(sinks.Select(s => s.Name), "the name depends on the group and position only");
        foreach (var sink in sinks)
        {
            Wp.Core.Rescue.RescueFileName.TryParse($"{sink.Name}-2026-12-01_10:00:00.dat", out var name).Should().BeTrue();
            name.SinkName.Should().Be(sink.Name, "rescue files of the sink route back to it");
        }
    }

    private static EngineOptions LoadEngine(string content, string because, TempWorkRoot? root = null)
    {
        using var own = root is null ? TempWorkRoot.Create(because.Replace(' ', '_')) : null;
        var r = root ?? own!;
        r.Write("conf/wparse.toml", content + "\n");
        var engine = ProjectLoader.LoadEngine(r.WorkRoot);
        // Paths are compared relative to the work root, so twins in different folders compare equal.
        return new EngineOptions
        {
            Version = engine.Version,
            RescueRoot = Path.GetRelativePath(r.FullPath, engine.RescueRoot),
            SinkRoot = Path.GetRelativePath(r.FullPath, engine.SinkRoot),
            SrcConf = Path.GetRelativePath(r.FullPath, engine.SrcConf),
            SpeedLimit = engine.SpeedLimit,
            ParseWorkers = engine.ParseWorkers,
            WplRoot = Path.GetRelativePath(r.FullPath, engine.WplRoot),
            OmlRoot = Path.GetRelativePath(r.FullPath, engine.OmlRoot),
            KnowledgeRoot = root is null ? Path.GetRelativePath(r.FullPath, engine.KnowledgeRoot) : engine.KnowledgeRoot,
            Rescue = engine.Rescue,
            Log = new LogOptions { Level = engine.Log.Level, Output = engine.Log.Output, Path = Path.GetRelativePath(r.FullPath, engine.Log.Path!) },
            StatWindowSec = engine.StatWindowSec,
            StatRequests = engine.StatRequests,
            Spellings = engine.Spellings,
            NoEffect = engine.NoEffect.Select(n => n with { File = Path.GetFileName(n.File) }).ToList(),
        };
    }
}
