using Wp.Core.Config;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Wpl;

public class WplParserTests
{
    private static ConfigProblem SingleProblem(string text)
    {
        var act = () => WplRuleSet.Parse([("models/wpl/x/parse.wpl", text)]);
        return act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Unknown_type_is_reported_with_file_line_and_column()
    {
        var problem = SingleProblem("package /t {\n  rule r {\n    (digit, foo)\n  }\n}\n");
        problem.File.Should().Be("models/wpl/x/parse.wpl");
        problem.Line.Should().Be(3);
        problem.Column.Should().Be(13);
        problem.Message.Should().Contain("unknown field type 'foo'");
    }

    [Fact]
    public void Missing_closing_parenthesis_is_reported_where_it_was_expected()
    {
        var problem = SingleProblem("package /t {\n  rule r {\n    (digit, chars\n  }\n}\n");
        (problem.Line, problem.Column).Should().Be((4, 3));
        problem.Message.Should().Contain("missing ')'");
    }

    [Fact]
    public void Unterminated_brace_is_reported_at_the_opening_brace()
    {
        var problem = SingleProblem("package /t {\n  rule r {\n    (digit)\n");
        (problem.Line, problem.Column).Should().Be((2, 10));
        problem.Message.Should().Contain("unterminated '{'");
    }

    [Fact]
    public void Bad_separator_is_reported_at_the_backslash()
    {
        var problem = SingleProblem("package /t {\n  rule r {\n    (digit\\q)\n  }\n}\n");
        (problem.Line, problem.Column).Should().Be((3, 11));
        problem.Message.Should().Contain("bad separator '\\q'");
    }

    [Theory]
    [InlineData("package /t { rule r { (chars<[]>) } }", 1, 29)]
    [InlineData("package /t { rule r { (0*digit) } }", 1, 24)]
    [InlineData("package /t { rule r { (digit(x)) } }", 1, 29)]
    [InlineData("package /t { rule r { } }", 1, 23)]
    [InlineData("rule r { (digit) }", 1, 1)]
    [InlineData("package /t { rule r { (kv(digit@)) } }", 1, 33)]
    [InlineData("package /t { rule r { (symbol) } }", 1, 30)]
    [InlineData("/* open comment", 1, 1)]
    public void Other_syntax_errors_carry_line_and_column(string text, int line, int column)
    {
        var problem = SingleProblem(text);
        (problem.Line, problem.Column).Should().Be((line, column));
    }

    [Fact]
    public void Errors_of_every_file_are_collected()
    {
        var act = () => WplRuleSet.Parse([("a.wpl", "package /a { rule r { (nope) } }"), ("b.wpl", "package /b { rule r { (digit) } }"), ("c.wpl", "package /c {")]);
        act.Should().Throw<ConfigException>().Which.Problems.Select(p => p.File).Should().Equal("a.wpl", "c.wpl");
    }

    [Fact]
    public void Duplicate_rule_paths_are_errors()
    {
        var act = () => WplRuleSet.Parse([("a.wpl", "package /a { rule r { (digit) } }"), ("b.wpl", "package /a { rule r { (chars) } }")]);
        act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Which.Message.Should().Contain("duplicate rule path '/a/r'");
    }

    [Fact]
    public void Comments_are_skipped_wherever_blanks_are_allowed()
    {
        var rules = WplRuleSet.Parse([("a.wpl", """
            // header comment
            /* block
               comment */
            package /sys { // trailing
              rule one { ( digit , /* inline */ chars ) }
              // rule two { (oops) }
            }
            """)]);
        rules.Rules.Should().ContainSingle().Which.Path.Should().Be("/sys/one");
        rules.Match("5 x").IsMatch.Should().BeTrue();
    }

    [Theory]
    [InlineData("/sys", "benchmark_1", "/sys/benchmark_1")]
    [InlineData("/sys/", "benchmark_1", "/sys/benchmark_1")]
    [InlineData("sys", "/b", "sys/b")]
    [InlineData("/a/b", "c", "/a/b/c")]
    public void Rule_path_joins_package_and_rule_without_doubling_slashes(string package, string rule, string expected) =>
        WplTestRules.Compile("(digit)", package, rule).Rules[0].Path.Should().Be(expected);

    [Fact]
    public void Field_ast_records_count_name_enclosure_separator_and_subfields()
    {
        var group = WplTestRules.Compile("(3*kv(digit@a:x, ip@b):pairs<{,}>\\;, symbol(ok)\", chars\\0)\\|").Rules[0].Groups[0];
        group.Separator.Should().Be(new WplSeparator(WplSeparatorKind.Char, '|'));
        var kv = group.Fields[0];
        (kv.Type, kv.Count, kv.Name, kv.Begin, kv.End).Should().Be((WplType.Kv, 3, "pairs", "{", "}"));
        kv.Separator.Should().Be(new WplSeparator(WplSeparatorKind.Char, ';'));
        kv.Subfields.Should().Equal(new WplSubfieldSpec("digit", WplType.Digit, "a", "x"), new WplSubfieldSpec("ip", WplType.Ip, "b", null));
        group.Fields[1].SymbolText.Should().Be("ok");
        group.Fields[1].Begin.Should().Be("\"");
        group.Fields[2].Separator!.Value.Kind.Should().Be(WplSeparatorKind.RestOfLine);
    }

    [Fact]
    public void Load_directory_reads_parse_files_recursively_in_ordinal_order()
    {
        var dir = Directory.CreateTempSubdirectory("wpl-load-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "b"));
            Directory.CreateDirectory(Path.Combine(dir, "a"));
            File.WriteAllText(Path.Combine(dir, "b", "parse.wpl"), "package /b { rule r { (digit) } }");
            File.WriteAllText(Path.Combine(dir, "a", "parse_x.wpl"), "package /a { rule r { (digit) } }");
            File.WriteAllText(Path.Combine(dir, "a", "gen_rule.wpl"), "not even wpl");

            var rules = WplRuleSet.LoadDirectory(dir);

            rules.Rules.Select(r => r.Path).Should().Equal("/a/r", "/b/r");
            rules.Rules[0].File.Should().EndWith(Path.Combine("a", "parse_x.wpl"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_directory_of_a_missing_folder_is_a_config_error()
    {
        var act = () => WplRuleSet.LoadDirectory(Path.Combine(Path.GetTempPath(), "wpl-missing-" + Guid.NewGuid()));
        act.Should().Throw<ConfigException>().Which.Message.Should().Contain("not found");
    }
}
