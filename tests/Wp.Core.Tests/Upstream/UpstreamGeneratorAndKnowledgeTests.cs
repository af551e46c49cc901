using Wp.Core.Config;
using Wp.Core.Project;
using Wp.Core.Stats;
using Wp.Core.Tests.Config;
using Wp.Core.Tests.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Upstream;

/// <summary>conf/wpgen.toml as upstream writes it, models/knowledge, the stat tables and what wproj check says about them.</summary>
public sealed class UpstreamGeneratorAndKnowledgeTests
{
    private const string SeedWpgen = """
        [generator]
        mode  = "sample"
        count = 1000
        speed = 1000

        [output]
        connect = "file_raw_sink"
        params  = { base = "data/in_dat", file = "gen.dat" }
        """;

    private const string UpstreamWpgen = """
        version = "1.0"

        [generator]
        mode = "Sample"
        count = 1000
        speed = 1000
        parallel = 2

        [output]
        connect = "file_raw_sink"
        name = "gen_out"
        [output.params]
        base = "data/in_dat"
        file = "gen.dat"

        [logging]
        level = "warn"
        output = "File"
        file_path = "./data/logs/"
        """;

    [Fact]
    public void Upstream_wpgen_toml_loads_like_its_seed_twin_plus_parallel_name_and_logging()
    {
        using var seedRoot = TempWorkRoot.Create().Write("conf/wpgen.toml", SeedWpgen);
        using var upstreamRoot = TempWorkRoot.Create().Write("conf/wpgen.toml", UpstreamWpgen);

        var seed = GeneratorConfigLoader.Load(seedRoot.WorkRoot);
        var upstream = GeneratorConfigLoader.Load(upstreamRoot.WorkRoot);

        (upstream.Mode, upstream.Count, upstream.Speed, upstream.Connect, upstream.Format)
            .Should().Be((seed.Mode, seed.Count, seed.Speed, seed.Connect, seed.Format));
        Path.GetRelativePath(upstreamRoot.FullPath, upstream.OutputPath).Should().Be(Path.GetRelativePath(seedRoot.FullPath, seed.OutputPath));
        upstream.Params.Should().BeEquivalentTo(seed.Params);
        upstream.Parallel.Should().Be(2);
        seed.Parallel.Should().Be(1);
        upstream.OutputName.Should().Be("gen_out");
        seed.OutputName.Should().BeNull();
        upstream.Log.Should().BeEquivalentTo(new LogOptions { Level = "warn", Output = LogOutput.File, Path = upstreamRoot.PathOf("data/logs") });
        seed.Log.Should().BeEquivalentTo(new LogOptions { Level = "warn", Output = LogOutput.File, Path = seedRoot.PathOf("logs") });
    }

    private const string KnowDb = """
        version = 2

        [[tables]]
        name = "example"

        [tables.columns]
        by_header = [
            "name",
            "pinying",
        ]

        [tables.expected_rows]
        min = 1
        """;

    [Fact]
    public void A_knowledge_table_loads_its_csv_rows_on_the_configured_columns()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("models/knowledge/knowdb.toml", KnowDb)
            .Write("models/knowledge/example/create.sql", "CREATE TABLE IF NOT EXISTS {table} (name TEXT, pinying TEXT);\n")
            .Write("models/knowledge/example/data.csv", "id,pinying,name\r\n1,linghuchong,令狐冲\r\n2,\"ren, \"\"yingying\"\"\",任盈盈\r\n\r\n");

        var knowledge = ProjectLoader.Load(root.WorkRoot).Knowledge!;

        var table = knowledge.Tables.Should().ContainSingle().Subject;
        table.Name.Should().Be("example");
        table.Columns.Should().Equal("name", "pinying");
        table.Rows.Should().BeEquivalentTo(new[] { new[] { "令狐冲", "linghuchong" }, new[] { "任盈盈", "ren, \"yingying\"" } }, o => o.WithStrictOrdering());
        table.DataFile.Should().Be(root.PathOf("models/knowledge/example/data.csv"));
    }

    [Fact]
    public void No_knowdb_toml_means_no_knowledge()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject();

        ProjectLoader.Load(root.WorkRoot).Knowledge.Should().BeNull();
    }

    public static TheoryData<string, string, string, int?, string> KnowledgeProblems => new()
    {
        { KnowDb, "name,pinyin\nx,y\n", "models/knowledge/example/data.csv", 1, "columns.by_header names 'pinying', not in the header (name, pinyin)" },
        { KnowDb, "name,pinying\n", "models/knowledge/knowdb.toml", 4, "0 rows, fewer than expected_rows.min = 1" },
        { KnowDb, "name,pinying\na,b\nc\n\"d,e\n", "models/knowledge/example/data.csv", 3, "bad row: 1 fields where the header has 2" },
        { KnowDb.Replace("name = \"example\"", "name = \"example\"\ndir = \"elsewhere\""), "name,pinying\na,b\n", "models/knowledge/knowdb.toml", 4, "data file" },
        { "version = 2\n[[tables]]\nname = \"ex-1\"\n", "name\n", "models/knowledge/knowdb.toml", 3, "must match [A-Za-z_][A-Za-z0-9_]*" },
        { "version = 2\n[[tables]]\nname = \"example\"\nhas_header = false\n", "a,b\n", "models/knowledge/knowdb.toml", 2, "has_header = false needs columns.by_index" },
        { "version = 2\n[[tables]]\nname = \"example\"\non_error = \"ignore\"\n", "a,b\n", "models/knowledge/knowdb.toml", 4, "on_error must be one of fail | skip" },
        { "version = 2\n[[tables]]\nname = \"example\"\nrows = 3\n", "a,b\n", "models/knowledge/knowdb.toml", 4, "unknown key 'rows'" },
    };

    [Theory]
    [MemberData(nameof(KnowledgeProblems))]
    public void Knowledge_problems_name_the_file_and_line(string knowdb, string csv, string file, int? line, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("models/knowledge/knowdb.toml", knowdb)
            .Write("models/knowledge/example/data.csv", csv);

        var problem = root.LoadProblems().Should().ContainSingle(p => p.Message.Contains(message)).Subject;

        problem.File.Should().Be(root.PathOf(file));
        problem.Line.Should().Be(line);
    }

    [Fact]
    public void On_error_skip_leaves_bad_rows_out_and_counts_them()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("models/knowledge/knowdb.toml", "version = 2\n[[tables]]\nname = \"t\"\non_error = \"skip\"\ncolumns.by_index = [1]\nhas_header = false\n")
            .Write("models/knowledge/t/data.csv", "a,1\nb\nc,3\n");

        var table = ProjectLoader.Load(root.WorkRoot).Knowledge!.Tables.Single();

        table.Rows.Select(r => r[0]).Should().Equal("1", "3");
        table.Columns.Should().Equal("col1");
        table.SkippedRows.Should().Be(1);
    }

    [Fact]
    public void Check_reports_rows_per_knowledge_table_and_the_upstream_spellings_it_read()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("conf/wparse.toml", """
                robust = "normal"
                [topology]
                sources = "./conf/wpsrc.toml"
                [performance]
                parse_workers = 3
                [log_conf]
                output = "File"
                [[stat.sink]]
                key = "sink_stat"
                target = "*"
                top_n = 20
                """)
            .Write("models/knowledge/knowdb.toml", KnowDb)
            .Write("models/knowledge/example/data.csv", "name,pinying\na,b\nc,d\n");

        var items = ProjectCheck.Check(root.WorkRoot).Items;

        items.Should().NotContain(i => i.Result == CheckResult.Fail);
        items.Single(i => i.Item == "conf/wparse.toml").Detail.Should()
            .Contain("engine: 3 parse workers").And
            .Contain("stat tables: sink_stat (sink, target *, top 20)").And
            .Contain("upstream spellings read: topology.sources (= src_conf), performance.parse_workers (= parse_workers)");
        items.Should().ContainSingle(i => i.Item == "models/knowledge/example/data.csv" && i.Detail == "knowledge table example: 2 rows (name, pinying)");
        items.Should().ContainSingle(i => i.Item == "models/knowledge/knowdb.toml" && i.Detail == "knowledge: 1 table");
        items.Should().ContainSingle(i => i.Item == "conf/wparse.toml:1:1" && i.Result == CheckResult.Warn)
            .Which.Detail.Should().StartWith("robust is read but has no effect");
    }

    [Fact]
    public void Check_shows_the_names_unnamed_sinks_get()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/example.toml", """
                version = "2.0"
                [sink_group]
                name = "/sink/example"
                oml = ["example"]
                [[sink_group.sinks]]
                connect = "file_kv_sink"
                params = { file = "example.dat" }
                """);

        var items = ProjectCheck.Check(root.WorkRoot).Items;

        items.Single(i => i.Item == "sink/business.d/example.toml").Detail.Should()
            .Be("business group /sink/example: 1 sink: _sink_example_0 (unnamed: by position)");
    }

    [Fact]
    public void Stat_selection_keeps_matching_rows_and_the_top_n_by_total_in_their_order()
    {
        var rows = new List<StatRow>
        {
            new("pick", "file_1", "in.dat", 10, 10),
            new("parse", "/sys/a", "rule", 10, 1),
            new("parse", "/sys/b", "rule", 10, 5),
            new("parse", "/web/c", "rule", 10, 4),
            new("sink", "small", "small.dat", 1, 1),
            new("sink", "big", "big.dat", 9, 9),
            new("sink", "mid", "mid.dat", 5, 5),
            new("rescue", "big", "/sink/g", 3, 3),
        };
        var selection = new StatSelection(
        [
            new StatRequest("parse", "parse_stat", "/sys/*", [], null),
            new StatRequest("sink", "sink_stat", "*", [], 2),
        ]);

        selection.Apply(rows).Select(r => $"{r.Stage}:{r.Name}").Should()
            .Equal("pick:file_1", "parse:/sys/a", "parse:/sys/b", "sink:big", "sink:mid", "rescue:big");
        StatSelection.All.Apply(rows).Should().Equal(rows);
    }
}
