using Wp.Core.Generation;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Generation;

/// <summary>Builds generator and parse rule sets from one rule body, and finds the usecase models.</summary>
internal static class GenTestRules
{
    public static string Package(string body, string package = "/t", string rule = "r") =>
        $"package {package} {{\n  rule {rule} {{ {body} }}\n}}\n";

    public static GenRuleSet Generator(string body, string? fields = null) =>
        GenRuleSet.Build([new GenRuleSource("gen_rule.wpl", Package(body), fields is null ? null : "gen_field.toml", fields)]);

    public static WplRuleSet Parse(string body) => WplRuleSet.Parse([("parse.wpl", Package(body))]);

    public static List<string> Lines(this GenRuleSet rules, long seed, int count)
    {
        var stream = rules.Open(seed);
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            lines.Add(stream.NextLine(out _));
        }

        return lines;
    }

    /// <summary>The sink_recovery usecase's models/wpl folder in this repository.</summary>
    public static string UsecaseWpl { get; } = Path.Combine(FindRepoRoot(), "usecase", "core", "sink_recovery", "models", "wpl");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Wp.sln not found above " + AppContext.BaseDirectory);
    }
}
