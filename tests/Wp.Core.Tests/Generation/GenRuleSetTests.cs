using Wp.Core.Config;
using Wp.Core.Generation;
using Wp.Core.Tests.Support;
using Wp.Core.Timing;
using static Wp.Core.Tests.Generation.GenTestRules;

namespace Wp.Core.Tests.Generation;

/// <summary>Loading gen_rule.wpl files, rejecting rules the generator cannot serve, and writing the output file.</summary>
public sealed class GenRuleSetTests
{
    [Fact]
    public void Gen_rule_files_load_in_ordinal_path_order_with_the_settings_beside_each()
    {
        using var root = TempWorkRoot.Create()
            .Write("models/wpl/b/gen_rule.wpl", "package /b { rule r { (digit:n) } }")
            .Write("models/wpl/b/gen_field.toml", "[fields.n]\nrange = [5, 5]\n")
            .Write("models/wpl/a/gen_rule.wpl", "package /a { rule r { (digit:n) } rule s { (ip) } }")
            .Write("models/wpl/a/parse.wpl", "package /x { rule r { (digit) } }");

        var rules = GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        rules.Rules.Select(r => r.Rule.Path).Should().Equal("/a/r", "/a/s", "/b/r");
        rules.Lines(1, 30).Where((_, i) => i % 3 == 2).Should().OnlyContain(line => line == "5");
        rules.Lines(1, 30).Where((_, i) => i % 3 == 0).Should().Contain(line => line != "5", "b's settings do not apply to a");
    }

    [Fact]
    public void No_gen_rule_file_is_a_config_error_naming_the_folder()
    {
        using var root = TempWorkRoot.Create().Write("models/wpl/a/parse.wpl", "package /a { rule r { (digit) } }");

        var act = () => GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle()
            .Which.Should().Match<ConfigProblem>(p => p.File == root.PathOf("models/wpl") && p.Message.Contains("no gen_rule.wpl"));
    }

    [Fact]
    public void Gen_rule_files_without_rules_are_a_config_error()
    {
        var act = () => GenRuleSet.Build([new GenRuleSource("a/gen_rule.wpl", "package /a { }")]);

        act.Should().Throw<ConfigException>().WithMessage("a/gen_rule.wpl: no rule in any gen_rule.wpl*");
    }

    [Fact]
    public void A_wpl_syntax_error_in_gen_rule_wpl_names_file_line_and_column()
    {
        using var root = TempWorkRoot.Create().Write("models/wpl/a/gen_rule.wpl", "package /a {\n  rule r { (digit, nosuch) }\n}\n");

        var act = () => GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle()
            .Which.Should().Match<ConfigProblem>(p => p.File == root.PathOf("models/wpl/a/gen_rule.wpl") && p.Line == 2 && p.Column == 20);
    }

    [Theory]
    [InlineData("(http/agent, digit)", 2, "an unenclosed http/agent takes the rest of the line")]
    [InlineData("(chars\\0, digit)", 2, "'chars\\0' takes the rest of the line")]
    [InlineData("(kvarr, kv)", 2, "rule /t/r: the generator cannot write lines this rule reads back (field 2 'kv' expected kv at column")]
    [InlineData("(ip, digit)\\.", 2, "rule /t/r: the generator cannot write lines this rule reads back")]
    public void A_rule_the_generator_cannot_serve_is_a_config_error_naming_the_rule(string body, int line, string message)
    {
        var act = () => Generator(body);

        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        problem.File.Should().Be("gen_rule.wpl");
        problem.Line.Should().Be(line);
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public async Task The_generator_writes_count_lines_and_counts_them_per_rule()
    {
        using var root = TempWorkRoot.Create();
        var rules = GenRuleSet.Build([new GenRuleSource("gen_rule.wpl", "package /p { rule a { (digit, chars) } rule b { (ip, time\") } }")]);
        var output = root.PathOf("data/in_dat/gen.dat");
        var generator = new RuleGenerator(rules, output, seed: 9);

        await generator.RunAsync(10001, new SpeedLimiter(0, TimeProvider.System), CancellationToken.None);

        var lines = File.ReadAllLines(output);
        lines.Should().HaveCount(10001).And.Equal(rules.Lines(9, 10001));
        generator.Written.Should().Be(10001);
        generator.Snapshot().Select(r => (r.Name, r.Total)).Should().Equal(("/p/a", 5001L), ("/p/b", 5000L));
    }

    [Fact]
    public async Task A_cancelled_run_keeps_the_lines_written_so_far()
    {
        using var root = TempWorkRoot.Create();
        var output = root.PathOf("gen.dat");
        var generator = new RuleGenerator(Generator("(digit)"), output);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await generator.RunAsync(100, new SpeedLimiter(10, TimeProvider.System), stop.Token);

        File.Exists(output).Should().BeTrue();
        File.ReadAllLines(output).Length.Should().Be((int)generator.Written);
    }
}
