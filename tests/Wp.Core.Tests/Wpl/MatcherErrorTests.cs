using Serilog.Events;
using Wp.Core.Generation;
using Wp.Core.Tests.Support;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Wpl;

/// <summary>A matcher that throws (a bug) costs one rule attempt, is counted and logged, and never stops the pipeline.</summary>
public sealed class MatcherErrorTests
{
    private static WplRuleSet Rules() =>
        WplRuleSet.Parse([("parse.wpl", "package /t {\n  rule broken { (digit:a, digit:b) }\n  rule good { (digit:x, digit:y) }\n}\n")]);

    [Fact]
    public void A_throwing_matcher_fails_its_rule_and_the_next_rule_still_matches()
    {
        var rules = Rules();
        var broken = ThrowingMatcher.InjectInto(rules.Rules[0]);

        var first = rules.Match("1 2");
        var second = rules.Match("3 4");

        first.IsMatch.Should().BeTrue();
        first.Rule!.Path.Should().Be("/t/good");
        second.Rule!.Path.Should().Be("/t/good");
        broken.Calls.Should().Be(2);
        rules.MatcherErrors.Should().Be(2);
        rules.FirstMatcherError.Should().Be($"rule /t/broken: InvalidOperationException: {ThrowingMatcher.Message}");
    }

    [Fact]
    public void Matcher_errors_are_counted_across_threads_and_logged_once_with_the_count_and_the_first()
    {
        var rules = Rules();
        ThrowingMatcher.InjectInto(rules.Rules[0]);
        Parallel.For(0, 1000, i => rules.Match($"{i} {i}"));
        var log = new LogCapture();

        rules.ReportMatcherErrors(log.Logger);

        rules.MatcherErrors.Should().Be(1000);
        log.Messages(LogEventLevel.Error).Should().ContainSingle()
            .Which.Should().Contain("1000 rule attempts failed inside a matcher").And.Contain("rule /t/broken: InvalidOperationException");
    }

    [Fact]
    public void Without_matcher_errors_nothing_is_logged()
    {
        var rules = Rules();
        rules.Match("1 2");
        var log = new LogCapture();

        rules.ReportMatcherErrors(log.Logger);

        rules.MatcherErrors.Should().Be(0);
        log.Events.Should().BeEmpty();
    }

    [Fact]
    public void The_generator_parse_back_check_reports_a_throwing_matcher_as_its_reason()
    {
        var rule = Rules().Rules[0];
        ThrowingMatcher.InjectInto(rule);

        var ok = new RuleLineWriter(rule, []).ParsesBack("1 2", out var reason);

        ok.Should().BeFalse();
        reason.Should().Be($"the matcher failed (InvalidOperationException): {ThrowingMatcher.Message}");
    }
}
