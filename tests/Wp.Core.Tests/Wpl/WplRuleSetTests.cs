using System.Text;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Wpl;

public class WplRuleSetTests
{
    private static WplRuleSet Rules(params string[] rules) =>
        WplRuleSet.Parse([("parse.wpl", "package /t {\n" + string.Concat(rules.Select(r => "  " + r + "\n")) + "}\n")]);

    [Fact]
    public void Leftover_of_at_most_20_percent_is_accepted_as_residue()
    {
        var match = Rules("rule r { (digit, digit) }").Match("1234567 7654321   abc ");
        match.IsMatch.Should().BeTrue();
        match.Residue.Should().Be("abc");
        match.Record!.Count.Should().Be(2);
    }

    [Fact]
    public void Leftover_over_20_percent_fails_the_rule()
    {
        var match = Rules("rule r { (digit, digit) }").Match("1 2 abcdef");
        match.IsMatch.Should().BeFalse();
        match.Record.Should().BeNull();
        match.MissReason.Should().Be("closest /t/r: leftover of 6 chars at column 5 is over 20% of the line");
    }

    [Fact]
    public void A_full_match_has_no_residue() =>
        Rules("rule r { (digit) }").Match("  12  ").Residue.Should().BeNull();

    [Fact]
    public void First_matching_rule_wins_in_load_order()
    {
        var rules = Rules("rule words { (chars, chars) }", "rule numbers { (digit, digit) }");
        rules.Match("1 2").Rule!.Path.Should().Be("/t/words");
        rules.Match("1 2").Record![0].Value.Kind.Should().Be(Wp.Core.Records.ValueKind.String);
    }

    [Fact]
    public void Later_rules_are_tried_when_earlier_ones_fail() =>
        Rules("rule ips { (ip) }", "rule numbers { (digit, digit) }").Match("1 2").Rule!.Path.Should().Be("/t/numbers");

    [Fact]
    public void Miss_names_the_rule_that_matched_most_fields_and_why()
    {
        var rules = Rules("rule ips { (ip) }", "rule three { (digit, digit, digit) }", "rule two { (digit, ip) }");
        var match = rules.Match("1 2 x");
        match.IsMatch.Should().BeFalse();
        match.MissReason.Should().Be("closest /t/three: field 3 'digit' expected digit at column 5");
    }

    [Fact]
    public void Miss_reason_reports_a_missing_enclosure()
    {
        var match = Rules("rule r { (digit, time<[,]>) }").Match("1 06/Aug/2019:12:12:19");
        match.MissReason.Should().Be("closest /t/r: field 2 'time' expected '[' at column 3");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \t \r")]
    public void Whitespace_only_lines_are_blank_misses(string line)
    {
        var match = Rules("rule r { (chars) }").Match(line);
        match.IsMatch.Should().BeFalse();
        match.MissReason.Should().Be(WplMatch.Blank);
    }

    [Fact]
    public void Matching_is_thread_safe()
    {
        var rules = Rules("rule r { (digit:n, kv, json) }");
        var failures = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var key = "k" + (i % 50);
            var match = rules.Match($"{i} {key}=v{i} {{\"a\":{{\"b\":{i}}}}}");
            var r = match.Record;
            if (r is null || r[0].Value.AsInt != i || r[1].Name != key || r[1].Value.ToString() != "v" + i ||
                r[2].Name != "a/b" || r[2].Value.AsInt != i)
            {
                Interlocked.Increment(ref failures);
            }
        });
        failures.Should().Be(0);
    }

    [Fact]
    public void Garbage_input_never_throws()
    {
        var rules = WplRuleSet.Parse([("parse.wpl", """
            package /g {
              rule a { (ip:sip, 2*_, time/clf<[,]>, http/request", http/status, digit, chars", http/agent", _") }
              rule b { (digit, json) }
              rule c { (kvarr) }
              rule d { (kv(digit@x), float, sn, time, chars\0) }
              rule e { (chars, kv, ip, http/request<[,]>, http/agent")\, }
            }
            """)]);
        var random = new Random(7);
        var lines = new List<string>
        {
            "\0\u0001\u0002\u00ff\ud800 binary",
            "\ufffd\ufffd\ufffd \ufffd=\ufffd",
            "\"", "[", "{", "{\"a\":", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "1 " + new string('{', 100_000),
            "a=\"unterminated", "x\\", "\\\\\\\"",
            new string('a', 1_000_000),
            string.Concat(Enumerable.Repeat("12 ", 350_000)),
            "1.2.3.4 - - [" + new string('9', 1_000_000),
        };
        for (var i = 0; i < 300; i++)
        {
            var sb = new StringBuilder();
            var n = random.Next(1, 200);
            for (var k = 0; k < n; k++)
            {
                sb.Append((char)random.Next(0, 0x3000));
            }

            lines.Add(sb.ToString());
        }

        foreach (var line in lines)
        {
            var act = () => rules.Match(line);
            act.Should().NotThrow();
        }

        var huge = rules.Match(new string('a', 1_000_000));
        huge.IsMatch.Should().BeFalse();
        huge.MissReason.Should().StartWith("closest /g/");
    }
}
