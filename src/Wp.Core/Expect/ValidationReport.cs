using Wp.Core.Config;

namespace Wp.Core.Expect;

/// <summary>The outcome of one check or one sink.</summary>
internal enum Verdict
{
    /// <summary>Within its expectation.</summary>
    Pass,

    /// <summary>Outside its expectation in a group whose mode is <c>warn</c>.</summary>
    Warn,

    /// <summary>Outside its expectation in a group whose mode is <c>error</c>.</summary>
    Fail,

    /// <summary>Not evaluated: the group's denominator is below <c>min_samples</c> (or 0).</summary>
    Ignored,

    /// <summary>The sink has no expectation.</summary>
    None,

    /// <summary>The sink writes no file (blackhole), so it has no line count to check.</summary>
    NotMeasured,
}

/// <summary>How bad a failed expectation is: the group's <c>mode</c>.</summary>
internal enum Severity
{
    Warn,
    Error,
}

/// <summary>The expectation settings that apply to one sink: sink <c>expect</c> over group <c>expect</c> over sink/defaults.toml.</summary>
internal sealed record EffectiveExpect(
    string Basis, long MinSamples, Severity Mode, double? SumTol, double? OthersMax, double? Ratio, double? Tol, double? Min, double? Max)
{
    public const string TotalInput = "total_input";
    public const string GroupInput = "group_input";

    /// <summary>True when the sink itself expects something (ratio, min or max).</summary>
    public bool HasSinkExpectation => Ratio is not null || Min is not null || Max is not null;

    /// <summary>First non-null value of each setting, in the order given (most specific first).</summary>
    public static EffectiveExpect Merge(params ExpectOptions?[] levels)
    {
        T? First<T>(Func<ExpectOptions, T?> pick) where T : class => levels.Select(l => l is null ? null : pick(l)).FirstOrDefault(v => v is not null);
        TV? FirstValue<TV>(Func<ExpectOptions, TV?> pick) where TV : struct => levels.Select(l => l is null ? null : pick(l)).FirstOrDefault(v => v is not null);

        return new EffectiveExpect(
            First(l => l.Basis) ?? TotalInput,
            FirstValue(l => l.MinSamples) ?? 100,
            First(l => l.Mode) == "warn" ? Severity.Warn : Severity.Error,
            FirstValue(l => l.SumTol),
            FirstValue(l => l.OthersMax),
            FirstValue(l => l.Ratio),
            FirstValue(l => l.Tol),
            FirstValue(l => l.Min),
            FirstValue(l => l.Max));
    }

    /// <summary>"0.66±0.02", "[0,0.01]", "0.5±0 [0.4,0.6]" or "-" — how the evidence table shows it.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Ratio is { } r)
        {
            parts.Add($"{ValidateOutput.Share(r)}±{ValidateOutput.Share(Tol ?? 0)}");
        }

        if (Min is not null || Max is not null)
        {
            parts.Add($"[{ValidateOutput.Share(Min ?? 0)},{ValidateOutput.Share(Max ?? 1)}]");
        }

        return parts.Count == 0 ? "-" : string.Join(' ', parts);
    }
}

/// <summary>One failed expectation: what, where, how bad.</summary>
/// <param name="Sink">Null for group-level checks (sum_tol, others_max).</param>
/// <param name="Check">ratio | min | max | sum_tol | others_max.</param>
internal sealed record Finding(string Group, string? Sink, string Check, Severity Severity, string Message);

/// <summary>A group-level check: <c>sum_tol</c> (shares of the ratio sinks add up to 1 ± tol) or <c>others_max</c>.</summary>
/// <param name="Limit">sum_tol or others_max as configured.</param>
/// <param name="Actual">The sum of shares, or the others' share.</param>
internal sealed record GroupCheck(string Check, double Limit, double Actual, Verdict Verdict);

/// <summary>One sink's evidence: its lines, share of the denominator, expectation and verdict.</summary>
internal sealed record SinkVerdict(SinkLines Lines, EffectiveExpect Expect, double? Ratio, Verdict Verdict);

/// <summary>Why a group was or was not evaluated.</summary>
internal enum GroupStatus
{
    Checked,

    /// <summary>Denominator below min_samples (or 0).</summary>
    Ignored,

    /// <summary>Neither the group nor any of its sinks has an <c>expect</c> table.</summary>
    NoExpectations,
}

/// <summary>One group's evaluation.</summary>
internal sealed record GroupVerdict(
    SinkGroupOptions Group,
    EffectiveExpect Settings,
    long Denominator,
    GroupStatus Status,
    IReadOnlyList<SinkVerdict> Sinks,
    IReadOnlyList<GroupCheck> Checks)
{
    public string Scope => Group.IsInfra ? "infra" : "business";
}

/// <summary>Everything <c>wproj validate sink-file</c> found (SPEC §11).</summary>
internal sealed class ValidationReport
{
    public required LineReport Lines { get; init; }

    /// <summary>The <c>total_input</c> denominator: <c>--input-cnt</c>, or the lines of the enabled sources.</summary>
    public required long TotalInput { get; init; }

    /// <summary>True when <see cref="TotalInput"/> came from <c>--input-cnt</c>.</summary>
    public required bool TotalInputFromOption { get; init; }

    public required IReadOnlyList<GroupVerdict> Groups { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warn);

    /// <summary>PASS, WARN or FAIL: FAIL when any error-severity expectation failed, WARN when only warn-severity ones did.</summary>
    public string Result => Errors > 0 ? "FAIL" : Warnings > 0 ? "WARN" : "PASS";

    /// <summary><c>validate: PASS</c>, <c>validate: WARN (n)</c> or <c>validate: FAIL (n)</c>.</summary>
    public string Headline => Errors > 0 ? $"validate: FAIL ({Errors})" : Warnings > 0 ? $"validate: WARN ({Warnings})" : "validate: PASS";
}
