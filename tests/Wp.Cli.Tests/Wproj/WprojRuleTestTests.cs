using System.Text.Json;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wproj;

/// <summary><c>wproj rule test</c> and the sample step of <c>wproj check</c>, as processes.</summary>
[Collection(E2eCollection.Name)]
public sealed class WprojRuleTestTests
{
    private const string Nginx = "192.168.1.2 - - [06/Aug/2019:12:12:19 +0800] \"GET /a HTTP/1.1\" 200 368 \"-\" \"Mozilla/5.0 (X11)\" \"-\"";

    [Fact]
    public async Task A_matching_line_shows_the_rule_and_the_typed_record()
    {
        using var root = new UsecaseCopy();

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["rule", "test", Nginx]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().Contain("line 1: match /example/nginx");
        run.StdOut.Should().MatchRegex(@"sip\s+ip\s+192\.168\.1\.2");
        run.StdOut.Should().MatchRegex(@"http_status\s+digit\s+200");
    }

    [Fact]
    public async Task A_missing_line_names_the_closest_rule_column_expected_and_found()
    {
        using var root = new UsecaseCopy();
        var rule = root.PathOf("models/wpl/example/parse.wpl");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["rule", "test", "--rule", rule, "192.168.1.2 - - yesterday \"GET / HTTP/1.1\""]);

        run.ExitCode.Should().Be(4, run.ToString());
        run.StdOut.Should().Contain("line 1: miss");
        run.StdOut.Should().Contain("closest /example/nginx: field 4 'time_clf' expected '[' at column 17");
        run.StdOut.Should().Contain("column 17: expected '[', found 'yesterday \"GET / HTTP/1.");
    }

    [Fact]
    public async Task Json_output_has_one_entry_per_line_with_kinds_or_the_reason()
    {
        using var root = new UsecaseCopy();
        root.Write("lines.txt", Nginx + "\n\nnot a log line\n");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["rule", "test", "--file", "lines.txt", "--json"]);

        run.ExitCode.Should().Be(4, run.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        var top = doc.RootElement;
        top.GetProperty("matched").GetInt32().Should().Be(1);
        top.GetProperty("missed").GetInt32().Should().Be(1);
        var lines = top.GetProperty("lines");
        lines.GetArrayLength().Should().Be(2);
        var hit = lines[0];
        hit.GetProperty("line").GetInt32().Should().Be(1);
        hit.GetProperty("rule").GetString().Should().Be("/example/nginx");
        var status = hit.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "http_status");
        status.GetProperty("kind").GetString().Should().Be("digit");
        status.GetProperty("value").GetInt32().Should().Be(200);
        var miss = lines[1];
        miss.GetProperty("line").GetInt32().Should().Be(3);
        miss.GetProperty("match").GetBoolean().Should().BeFalse();
        miss.GetProperty("closest").GetString().Should().NotBeNullOrEmpty();
        miss.GetProperty("column").GetInt32().Should().Be(1);
        miss.GetProperty("expected").GetString().Should().NotBeNullOrEmpty();
        miss.GetProperty("found").GetString().Should().StartWith("not a log line");
    }

    [Fact]
    public async Task A_rule_file_with_an_error_exits_3_naming_file_line_and_column()
    {
        using var root = new UsecaseCopy();
        root.Write("bad.wpl", "package /x {\n  rule r { (digit, tiem) }\n}\n");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["rule", "test", "--rule", "bad.wpl", "1 2"]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.StdErr.Should().Contain("bad.wpl:2:20: unknown field type 'tiem' (did you mean 'time'?)");
    }

    [Fact]
    public async Task Check_fails_on_a_sample_line_that_misses_naming_the_line_and_reason()
    {
        using var root = new UsecaseCopy();
        File.AppendAllText(root.PathOf("models/wpl/example/sample.dat"), "this is not nginx\n");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["check"]);

        run.ExitCode.Should().Be(4, run.ToString());
        run.StdOut.Should().Contain("models/wpl/example/sample.dat").And.Contain("line 2 misses: closest /example/nginx");
        run.StdOut.Should().Contain("check: FAIL (1 problem)");
    }
}
