using Wp.Core.Oml;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Routing;
using Wp.Core.Wpl;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Usecase;

/// <summary>
/// Each sample line of usecase/core/sink_recovery goes through its WPL rule and OML model and is
/// printed in all four formats, exactly (issue 2, done-means 1).
/// </summary>
public sealed class UsecaseSampleTests
{
    private static readonly string Repo = FindRepoRoot();
    private static readonly string Usecase = Path.Combine(Repo, "usecase", "core", "sink_recovery");

    public static TheoryData<int, string> Formats() => new()
    {
        { 0, "kv" }, { 0, "json" }, { 0, "proto-text" }, { 0, "raw" },
        { 1, "kv" }, { 1, "json" }, { 1, "proto-text" }, { 1, "raw" },
        { 2, "kv" }, { 2, "json" }, { 2, "proto-text" }, { 2, "raw" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_sample_line_renders_exactly_in_every_format(int sample, string format)
    {
        var record = Parse(SampleLines()[sample]);
        using var buffer = new TextBuffer();

        RecordFormatters.ForName(format).Format(record, buffer);

        buffer.ToString().Should().Be(File.ReadAllLines(Path.Combine(Repo, "tests", "Wp.Core.Tests", "Usecase", "expected", $"sample{sample}.{format}"))[0] + "\n");
    }

    private static Record Parse(string line)
    {
        var rules = WplRuleSet.LoadDirectory(Path.Combine(Usecase, "models", "wpl"));
        var models = OmlLoader.LoadDirectory(Path.Combine(Usecase, "models", "oml"));
        var match = rules.Match(line);
        match.IsMatch.Should().BeTrue(match.MissReason);
        match.Residue.Should().BeNull();
        var model = models.Single(m => GlobPattern.IsMatch(m.RulePattern, match.Rule!.Path));
        var record = model.Apply(match.Record!);
        record.Add("wp_src_key", Value.String("file_1"));
        return record;
    }

    private static string[] SampleLines() =>
        [.. File.ReadAllLines(Path.Combine(Usecase, "models", "wpl", "benchmark", "sample.dat")),
         .. File.ReadAllLines(Path.Combine(Usecase, "models", "wpl", "example", "sample.dat"))];

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Wp.sln not found above " + AppContext.BaseDirectory);
    }
}
