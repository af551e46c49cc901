using Wp.Core.Config;

namespace Wp.Core.Expect;

/// <summary>
/// Checks each sink's share of lines against its expectation (SPEC §11). Pure: takes the
/// configuration and the line counts, returns a <see cref="ValidationReport"/>; does not throw.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Settings: sink <c>expect</c> over group <c>expect</c> over sink/defaults.toml, key by key.</item>
/// <item>A group is evaluated when it has a <c>[sink_group.expect]</c> table or any of its sinks expects something;
/// defaults alone do not make a group checked (an <c>others_max</c> default would otherwise fail every plain group).</item>
/// <item>Denominator: <c>total_input</c> = <c>--input-cnt</c> or the lines of the enabled sources as on disk now;
/// <c>group_input</c> = the sum of the lines of the group's sink files.</item>
/// <item>A group whose denominator is 0 or below <c>min_samples</c> is ignored (no findings).</item>
/// <item><c>ratio</c>/<c>tol</c> (tol defaults to 0), <c>min</c>, <c>max</c>: shares of the denominator.
/// <c>sum_tol</c>: the actual shares of the sinks that have a <c>ratio</c> add up to 1 ± sum_tol.
/// <c>others_max</c>: the share of the sinks without expectations is at most others_max.</item>
/// <item>Severity of a failure = the group's <c>mode</c>.</item>
/// </list>
/// </remarks>
internal static class ExpectEvaluator
{
    /// <summary>Slack for binary floating point (0.68 − 0.66 is 0.020000000000000018, which is within 0.02).</summary>
    private const double Epsilon = 1e-9;

    public static ValidationReport Evaluate(ProjectConfig config, LineReport lines, long? inputCount)
    {
        var totalInput = inputCount ?? lines.EnabledSourceLines;
        var findings = new List<Finding>();
        var groups = new List<GroupVerdict>();
        foreach (var group in LineReport.OrderedGroups(config))
        {
            var sinks = lines.Sinks.Where(s => ReferenceEquals(s.Group, group)).ToList();
            groups.Add(EvaluateGroup(config, group, sinks, totalInput, findings));
        }

        return new ValidationReport
        {
            Lines = lines,
            TotalInput = totalInput,
            TotalInputFromOption = inputCount is not null,
            Groups = groups,
            Findings = findings,
        };
    }

    private static GroupVerdict EvaluateGroup(
        ProjectConfig config, SinkGroupOptions group, IReadOnlyList<SinkLines> sinks, long totalInput, List<Finding> findings)
    {
        var settings = EffectiveExpect.Merge(group.Expect, config.ExpectDefaults);
        var expects = sinks.Select(s => EffectiveExpect.Merge(s.Sink.Expect, group.Expect, config.ExpectDefaults)).ToList();
        var measured = sinks.Where(s => s.Count is not null).ToList();
        var denominator = settings.Basis == EffectiveExpect.GroupInput ? measured.Sum(s => s.Lines) : totalInput;
        double? Share(SinkLines s) => s.Count is null || denominator == 0 ? null : (double)s.Lines / denominator;

        var status = group.Expect is null && !expects.Any(e => e.HasSinkExpectation) ? GroupStatus.NoExpectations
            : denominator == 0 || denominator < settings.MinSamples ? GroupStatus.Ignored
            : GroupStatus.Checked;

        var verdicts = new List<SinkVerdict>(sinks.Count);
        for (var i = 0; i < sinks.Count; i++)
        {
            var sink = sinks[i];
            var expect = expects[i];
            var share = Share(sink);
            var verdict = !expect.HasSinkExpectation ? Verdict.None
                : sink.Count is null ? Verdict.NotMeasured
                : status == GroupStatus.Ignored ? Verdict.Ignored
                : CheckSink(group, sink, expect, share!.Value, denominator, settings.Mode, findings);
            verdicts.Add(new SinkVerdict(sink, expect, share, verdict));
        }

        var checks = new List<GroupCheck>();
        if (status == GroupStatus.Checked)
        {
            if (settings.SumTol is { } sumTol && verdicts.Any(v => v.Expect.Ratio is not null && v.Ratio is not null))
            {
                var sum = verdicts.Where(v => v.Expect.Ratio is not null && v.Ratio is not null).Sum(v => v.Ratio!.Value);
                var ok = Math.Abs(sum - 1) <= sumTol + Epsilon;
                checks.Add(new GroupCheck("sum_tol", sumTol, sum, ok ? Verdict.Pass : Failed(settings.Mode)));
                if (!ok)
                {
                    findings.Add(new Finding(group.Name, null, "sum_tol", settings.Mode,
                        $"shares of the sinks with a ratio add up to {ValidateOutput.Share(sum)}, outside 1±{ValidateOutput.Share(sumTol)}"));
                }
            }

            if (settings.OthersMax is { } othersMax)
            {
                var others = verdicts.Where(v => !v.Expect.HasSinkExpectation && v.Ratio is not null).Sum(v => v.Ratio!.Value);
                var ok = others <= othersMax + Epsilon;
                checks.Add(new GroupCheck("others_max", othersMax, others, ok ? Verdict.Pass : Failed(settings.Mode)));
                if (!ok)
                {
                    findings.Add(new Finding(group.Name, null, "others_max", settings.Mode,
                        $"sinks without expectations take {ValidateOutput.Share(others)}, above others_max {ValidateOutput.Share(othersMax)}"));
                }
            }
        }

        return new GroupVerdict(group, settings, denominator, status, verdicts, checks);
    }

    private static Verdict CheckSink(
        SinkGroupOptions group, SinkLines sink, EffectiveExpect expect, double share, long denominator, Severity mode, List<Finding> findings)
    {
        var failed = false;
        var evidence = $"({sink.Lines}/{denominator} lines{(sink.Count is { Exists: false } ? ", file missing" : string.Empty)})";
        void Fail(string check, string message)
        {
            failed = true;
            findings.Add(new Finding(group.Name, sink.Sink.Name, check, mode, $"{message} {evidence}"));
        }

        if (expect.Ratio is { } ratio && Math.Abs(share - ratio) > (expect.Tol ?? 0) + Epsilon)
        {
            Fail("ratio", $"share {ValidateOutput.Share(share)} outside {ValidateOutput.Share(ratio)}±{ValidateOutput.Share(expect.Tol ?? 0)}");
        }

        if (expect.Min is { } min && share < min - Epsilon)
        {
            Fail("min", $"share {ValidateOutput.Share(share)} below min {ValidateOutput.Share(min)}");
        }

        if (expect.Max is { } max && share > max + Epsilon)
        {
            Fail("max", $"share {ValidateOutput.Share(share)} above max {ValidateOutput.Share(max)}");
        }

        return failed ? Failed(mode) : Verdict.Pass;
    }

    private static Verdict Failed(Severity mode) => mode == Severity.Error ? Verdict.Fail : Verdict.Warn;
}
