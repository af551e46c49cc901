namespace Wp.Core.Config;

/// <summary>Expectation settings (SPEC §11): sink/defaults.toml, group-level and sink-level <c>expect</c> tables.</summary>
internal static class ExpectLoader
{
    public const string DefaultsFileName = "defaults.toml";

    /// <summary>The defaults when sink/defaults.toml or a key of it is absent.</summary>
    public static ExpectOptions BuiltInDefaults { get; } = new() { Basis = "total_input", MinSamples = 100, Mode = "error" };

    /// <summary>Reads <c>[defaults.expect]</c>; unset keys take <see cref="BuiltInDefaults"/>.</summary>
    public static ExpectOptions ReadDefaults(TomlTableNode doc, string file, ConfigProblems problems)
    {
        var top = new TableReader(doc, file, problems);
        top.String("version");
        var defaultsTable = top.SubTable("defaults");
        var expect = defaultsTable?.SubTable("expect");
        var result = BuiltInDefaults;
        if (expect is not null)
        {
            var group = ReadGroupLevel(expect);
            result = new ExpectOptions
            {
                Basis = group.Basis ?? BuiltInDefaults.Basis,
                MinSamples = group.MinSamples ?? BuiltInDefaults.MinSamples,
                Mode = group.Mode ?? BuiltInDefaults.Mode,
                SumTol = group.SumTol,
                OthersMax = group.OthersMax,
            };
            expect.Done();
        }

        defaultsTable?.Done();
        top.Done();
        return result;
    }

    /// <summary>basis, min_samples, mode, sum_tol, others_max. The caller calls Done.</summary>
    public static ExpectOptions ReadGroupLevel(TableReader t) => new()
    {
        Basis = t.OneOf("basis", "total_input", "group_input"),
        MinSamples = t.Integer("min_samples", min: 0),
        Mode = t.OneOf("mode", "warn", "error"),
        SumTol = t.Number("sum_tol", min: 0, max: 1),
        OthersMax = t.Number("others_max", min: 0, max: 1),
    };

    /// <summary>ratio, tol, min, max of one sink (shares of the denominator, 0..1). The caller calls Done.</summary>
    public static ExpectOptions ReadSinkLevel(TableReader t)
    {
        var result = new ExpectOptions
        {
            Ratio = t.Number("ratio", min: 0, max: 1),
            Tol = t.Number("tol", min: 0, max: 1),
            Min = t.Number("min", min: 0, max: 1),
            Max = t.Number("max", min: 0, max: 1),
        };
        if (result is { Min: { } min, Max: { } max } && min > max)
        {
            t.Problem(t.Table.Get("min")!, $"{t.Name("min")} ({min}) is greater than {t.Name("max")} ({max})");
        }

        if (result.Tol is not null && result.Ratio is null)
        {
            t.Problem(t.Table.Get("tol")!, $"{t.Name("tol")} needs {t.Name("ratio")}");
        }

        return result;
    }
}
