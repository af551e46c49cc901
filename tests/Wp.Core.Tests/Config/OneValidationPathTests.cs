using Wp.Core.Config;
using Wp.Core.Project;
using Wp.Core.Tests.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

/// <summary>
/// Issue 12: what <c>wproj check</c> fails, the loader wparse and wprescue use refuses — one validator,
/// one pass over TOML, WPL and OML, problems sorted by file and line.
/// </summary>
public sealed class OneValidationPathTests
{
    /// <summary>Broken projects (the "configs" fuzz category): each edit to a valid, initialised root.</summary>
    public static TheoryData<string, string, string> BrokenProjects => new()
    {
        { "sink_root typo", "conf/wparse.toml", "version = \"1.0\"\nsink_root = \"./snik\"\n" },
        { "misspelled oml name", "sink/business.d/example.toml", ExampleGroup.Replace("[\"example\"]", "[\"exmaple\"]", StringComparison.Ordinal) },
        { "WPL syntax error", "models/wpl/example/parse.wpl", "package /example {\n  rule nginx { (ip:sip, \n}\n" },
        { "OML syntax error", "models/oml/example.oml", "name : example\nrule : /example/*\n---\n* : auto = nonsense(;\n" },
        { "unknown connector", "sink/business.d/example.toml", ExampleGroup.Replace("file_kv_sink", "file_kv_snk", StringComparison.Ordinal) },
        { "unknown key", "conf/wparse.toml", "version = \"1.0\"\nspeed_limt = 5\n" },
        { "wpl folder typo", "conf/wparse.toml", "version = \"1.0\"\n[models]\nwpl = \"./models/wlp\"\n" },
        { "tolerant infra group", "sink/infra.d/miss.toml", "version = \"2.0\"\n[sink_group]\nname = \"miss\"\non_error = \"tolerant\"\n" },
        { "huge stat window", "conf/wparse.toml", "version = \"1.0\"\n[stat]\nwindow_sec = 4320000\n" },
        { "huge idle exit", "conf/wparse.toml", "version = \"1.0\"\n[rescue]\nidle_exit_sec = 1e300\n" },
        { "negative idle exit", "conf/wparse.toml", "version = \"1.0\"\n[rescue]\nidle_exit_sec = -1\n" },
        { "empty sink folder", "sink/business.d/example.toml", "" },
    };

    private const string ExampleGroup = """
        version = "2.0"

        [sink_group]
        name = "example"
        oml  = ["example"]

        [[sink_group.sinks]]
        name    = "example_file_sink"
        connect = "file_kv_sink"
        params  = { file = "example.dat" }
        """;

    [Theory]
    [MemberData(nameof(BrokenProjects))]
    public void Whatever_check_fails_the_loader_refuses_with_the_same_problems(string why, string file, string content)
    {
        using var root = TempWorkRoot.Create().Initialised();
        if (why == "empty sink folder")
        {
            Directory.Delete(root.PathOf("sink/business.d"), recursive: true);
            Directory.Delete(root.PathOf("sink/infra.d"), recursive: true);
        }
        else
        {
            root.Write(file, content);
        }

        var checkFailures = ProjectCheck.Check(root.WorkRoot).Items.Where(i => i.Result == CheckResult.Fail).ToList();
        var load = () => ProjectLoader.Load(root.WorkRoot);

        checkFailures.Should().NotBeEmpty(why);
        var problems = load.Should().Throw<ConfigException>(why).Which.Problems;
        problems.Should().HaveCount(checkFailures.Count, why);
        problems.Should().OnlyContain(p => p.File.StartsWith(root.FullPath, StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_project_passes_both()
    {
        using var root = TempWorkRoot.Create().Initialised();

        ProjectCheck.Check(root.WorkRoot).Failures.Should().Be(0);
        ProjectLoader.Load(root.WorkRoot).Rules.Rules.Should().NotBeEmpty();
    }

    [Fact]
    public void A_sink_root_typo_is_refused_at_its_line()
    {
        using var root = TempWorkRoot.Create().Initialised().Write("conf/wparse.toml", "version = \"1.0\"\nsink_root = \"./snik\"\n");

        var problem = root.LoadProblemsOf().Should().ContainSingle().Which;

        problem.File.Should().Be(root.PathOf("conf/wparse.toml"));
        problem.Line.Should().Be(2);
        problem.Message.Should().StartWith("sink folder is missing");
    }

    [Fact]
    public void A_misspelled_oml_name_is_refused_with_a_did_you_mean()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/example.toml", ExampleGroup.Replace("[\"example\"]", "[\"exmaple\"]", StringComparison.Ordinal));

        var problem = root.LoadProblemsOf().Should().ContainSingle().Which;

        problem.Line.Should().Be(5);
        problem.Message.Should().Contain("oml model 'exmaple' does not exist").And.EndWith("did you mean 'example'?");
    }

    [Fact]
    public void Toml_wpl_and_oml_problems_come_in_one_pass_sorted_by_file_and_line()
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("conf/wparse.toml", "version = \"1.0\"\n\n\nspeed_limt = 5\nparse_workrs = 2\n")
            .Write("models/wpl/example/parse.wpl", "package /example {\n  rule nginx { (ip:sip, \n}\n")
            .Write("models/oml/example.oml", "name : example\nrule : /example/*\n---\n* : auto = nonsense(;\n");

        var problems = root.LoadProblemsOf();

        problems.Select(p => Path.GetFileName(p.File)).Should().Equal("wparse.toml", "wparse.toml", "example.oml", "parse.wpl");
        problems.Select(p => p.Line).Take(2).Should().Equal(4, 5);
        problems[0].Message.Should().EndWith("did you mean 'speed_limit'?");
        problems[1].Message.Should().EndWith("did you mean 'parse_workers'?");
        problems.Should().BeInAscendingOrder(p => p.File, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("file_kv_snk", "did you mean 'file_kv_sink'?")]
    [InlineData("kafka_sink", "")]
    public void An_unknown_connector_suggests_the_closest_one(string connect, string suggestion)
    {
        using var root = TempWorkRoot.Create().Initialised()
            .Write("sink/business.d/example.toml", ExampleGroup.Replace("file_kv_sink", connect, StringComparison.Ordinal));

        var message = root.LoadProblemsOf().Should().ContainSingle().Which.Message;

        message.Should().Contain($"unknown connector '{connect}'");
        if (suggestion.Length > 0)
        {
            message.Should().EndWith(suggestion);
        }
        else
        {
            message.Should().NotContain("did you mean");
        }
    }

    [Theory]
    [InlineData("sink/business.d/example.toml", "on_error = \"fix_rety\"", "did you mean 'fix_retry'?")]
    [InlineData("conf/wparse.toml", "[rescue]\norder = \"newst\"", "did you mean 'newest'?")]
    [InlineData("conf/wparse.toml", "[log_conf]\noutput = \"consol\"", "did you mean 'console'?")]
    [InlineData("sink/business.d/example.toml", "fmt = \"jsn\"", "did you mean 'json'?")]
    public void An_unknown_option_value_suggests_the_closest_one(string file, string setting, string suggestion)
    {
        using var root = TempWorkRoot.Create().Initialised();
        var content = file == "conf/wparse.toml"
            ? "version = \"1.0\"\n" + setting + "\n"
            : setting.StartsWith("fmt", StringComparison.Ordinal)
                ? ExampleGroup.Replace("{ file = \"example.dat\" }", "{ file = \"example.dat\", " + setting + " }", StringComparison.Ordinal)
                : ExampleGroup.Replace("oml  = [\"example\"]", "oml  = [\"example\"]\n" + setting, StringComparison.Ordinal);
        root.Write(file, content);

        root.LoadProblemsOf().Should().ContainSingle().Which.Message.Should().EndWith(suggestion);
    }

    [Theory]
    [InlineData("speed_limt", new[] { "speed_limit", "sink_root" }, "speed_limit")]
    [InlineData("ordr", new[] { "order", "max_file_bytes" }, "order")]
    [InlineData("x", new[] { "order" }, null)]
    [InlineData("colour", new[] { "name", "oml", "rule" }, null)]
    public void Suggest_picks_a_close_word_or_none(string word, string[] known, string? expected) =>
        Suggest.Closest(word, known).Should().Be(expected);
}

internal static class LoaderProblemExtensions
{
    public static IReadOnlyList<ConfigProblem> LoadProblemsOf(this TempWorkRoot root)
    {
        var act = () => ProjectLoader.Load(root.WorkRoot);
        return act.Should().Throw<ConfigException>().Which.Problems;
    }
}
