using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Bench;

/// <summary>Rules and lines the benchmarks share, loaded from the repository (bench and usecase models).</summary>
internal static class Corpus
{
    /// <summary>Lines per benchmark invoke; every figure is divided by it (per line).</summary>
    public const int Lines = 256;

    public static string Root { get; } = FindRoot();

    public static WplRuleSet Rules(string name) => name switch
    {
        "nginx" => WplRuleSet.LoadDirectory(Path.Combine(Root, "bench/workroot/nginx/models/wpl")),
        "benchmark_1" => WplRuleSet.Parse([(Bench1Wpl, File.ReadAllText(Bench1Wpl))]),
        _ => throw new ArgumentException("unknown corpus " + name, nameof(name)),
    };

    /// <summary><see cref="Lines"/> lines for the rule set: the sample lines that rule set matches, repeated.</summary>
    public static string[] LinesFor(string name, WplRuleSet rules)
    {
        var file = name == "nginx"
            ? Path.Combine(Root, "bench/workroot/nginx/models/wpl/nginx/sample.dat")
            : Path.Combine(Root, "usecase/core/sink_recovery/models/wpl/benchmark/sample.dat");
        var samples = File.ReadAllLines(file)
            .Where(l => l.Length > 0 && rules.Match(l).Rule is { } r && (name == "nginx" || r.Path.EndsWith(name, StringComparison.Ordinal)))
            .ToArray();
        if (samples.Length == 0)
        {
            throw new InvalidOperationException("no sample line matches " + name);
        }

        return [.. Enumerable.Range(0, Lines).Select(i => samples[i % samples.Length])];
    }

    /// <summary>The parsed records of <see cref="LinesFor"/>, with <c>wp_src_key</c> as wparse adds it.</summary>
    public static Record[] RecordsFor(string name)
    {
        var rules = Rules(name);
        return [.. LinesFor(name, rules).Select(line =>
        {
            var record = rules.Match(line).Record!;
            record.Add("wp_src_key", Value.String("bench"));
            return record;
        })];
    }

    private static string Bench1Wpl => Path.Combine(Root, "usecase/core/sink_recovery/models/wpl/benchmark/parse.wpl");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("WP_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Wp.sln); set WP_ROOT");
    }
}
