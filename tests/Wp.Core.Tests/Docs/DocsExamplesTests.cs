using System.Text.RegularExpressions;
using Wp.Core.Project;
using Wp.Core.Records;
using Wp.Core.Wpl;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Docs;

/// <summary>
/// Every example of docs/wpl.md — a ```wpl block, then a ```text line, then a ```record block — is
/// parsed and matched, and the record must be exactly the one shown (name, kind, value per line),
/// or, for a block starting "miss:", the miss reason must contain the text shown.
/// </summary>
public partial class DocsExamplesTests
{
    private static readonly string Repo = FindRepoRoot();

    public static TheoryData<string, int, string, string, string> WplExamples()
    {
        var data = new TheoryData<string, int, string, string, string>();
        foreach (var e in Extract(File.ReadAllText(Path.Combine(Repo, "docs", "wpl.md"))))
        {
            data.Add("docs/wpl.md", e.Line, e.Rule, e.Text, e.Record);
        }

        return data;
    }

    [Fact]
    public void The_wpl_reference_has_an_example_for_every_section()
    {
        Extract(File.ReadAllText(Path.Combine(Repo, "docs", "wpl.md"))).Count.Should().BeGreaterThan(30);
    }

    [Fact]
    public void The_recovery_checkpoint_shown_in_docs_restarts_is_what_wprescue_writes()
    {
        var doc = File.ReadAllText(Path.Combine(Repo, "docs", "restarts.md"));
        var json = Regex.Match(doc, @"```json\n(\{""v"":.*\})\n```").Groups[1].Value;

        Wp.Core.Recovery.CheckpointStore.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var positions, out var error).Should().BeTrue(error);
        var position = positions.Should().ContainSingle().Subject;
        System.Text.Encoding.UTF8.GetString(Wp.Core.Recovery.CheckpointStore.Serialize(position, positions)).Should().Be(json + "\n");
    }

    [Fact]
    public void Every_type_name_is_in_the_reference()
    {
        var doc = File.ReadAllText(Path.Combine(Repo, "docs", "wpl.md"));
        WplTypes.AllNames.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal) && !doc.Contains($"`{n}(", StringComparison.Ordinal))
            .Should().BeEmpty("every type spelling is documented");
        WplFunctions.Known.Where(n => !doc.Contains($"`{n}(", StringComparison.Ordinal) && !doc.Contains($" `f_{n[2..]}", StringComparison.Ordinal) && !doc.Contains($"`{n}`", StringComparison.Ordinal) && !doc.Contains($", `{n}`", StringComparison.Ordinal))
            .Should().BeEmpty("every field function is documented");
        WplPreproc.Known.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal)).Should().BeEmpty("every preprocessing step is documented");
    }

    [Theory]
    [MemberData(nameof(WplExamples))]
    public void Every_wpl_example_gives_the_record_shown(string doc, int line, string rule, string text, string expected)
    {
        var source = rule.Contains("package", StringComparison.Ordinal) ? rule
            : rule.TrimStart().StartsWith("#[", StringComparison.Ordinal) || rule.TrimStart().StartsWith("rule", StringComparison.Ordinal) ? $"package /doc {{\n{rule}\n}}\n"
            : $"package /doc {{\n  rule r {{ {rule} }}\n}}\n";
        var rules = WplRuleSet.Parse([($"{doc}:{line}", source)]);
        var match = rules.Match(text);
        if (expected.StartsWith("miss:", StringComparison.Ordinal))
        {
            match.IsMatch.Should().BeFalse($"{doc}:{line} shows a miss");
            match.MissReason.Should().Contain(expected["miss:".Length..].Trim(), $"{doc}:{line}");
            return;
        }

        match.MissReason.Should().BeNull($"{doc}:{line}");
        var actual = match.Record!.Fields.Where(f => f.Value.Kind != ValueKind.Ignore)
            .Select(f => $"{f.Name}|{RuleTest.Kind(f.Value.Kind)}|{f.Value}").ToList();
        var shown = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join('|', Columns().Split(l.Trim(), 3))).ToList();
        actual.Should().Equal(shown, $"{doc}:{line}");
    }

    public static TheoryData<int, string, string, string> OmlExamples()
    {
        var data = new TheoryData<int, string, string, string>();
        foreach (var e in Extract(File.ReadAllText(Path.Combine(Repo, "docs", "oml.md")), "oml", "input"))
        {
            data.Add(e.Line, e.Rule, e.Text, e.Record);
        }

        return data;
    }

    [Fact]
    public void The_oml_reference_documents_every_pipe_function()
    {
        var doc = File.ReadAllText(Path.Combine(Repo, "docs", "oml.md"));
        Wp.Core.Oml.OmlPipe.Known.Where(n => !doc.Contains($"`{n}", StringComparison.Ordinal)).Should().BeEmpty();
        Extract(doc, "oml", "input").Count.Should().BeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [MemberData(nameof(OmlExamples))]
    public void Every_oml_example_gives_the_record_shown(int line, string model, string input, string expected)
    {
        var oml = Wp.Core.Oml.OmlLoader.Parse($"docs/oml.md:{line}", model);
        var record = new Record(8);
        foreach (var row in input.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = Columns().Split(row.Trim(), 3);
            var text = cols.Length > 2 ? cols[2] : "";
            record.Add(cols[0], cols[1] switch
            {
                "digit" => Value.Int(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)),
                "float" => Value.Float(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)),
                "bool" => Value.Bool(text == "true"),
                "ip" => Value.Ip(text),
                "time" => WplScan.TryConvert(WplType.Time, text.AsMemory(), out var t) ? t : throw new FormatException(text),
                _ => Value.String(text),
            });
        }

        var output = oml.Apply(record);
        var actual = output.Fields.Select(f => $"{f.Name}|{RuleTest.Kind(f.Value.Kind)}|{f.Value}").ToList();
        var shown = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join('|', Columns().Split(l.Trim(), 3))).ToList();
        actual.Should().Equal(shown, $"docs/oml.md:{line}");
    }

    private sealed record Example(int Line, string Rule, string Text, string Record);

    /// <summary>Finds ```wpl, ```text, ```record fences that follow each other (blank lines between allowed).</summary>
    private static List<Example> Extract(string markdown, string ruleLang = "wpl", string inputLang = "text")
    {
        var blocks = new List<(int Line, string Lang, string Body)>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length <= 3)
            {
                continue;
            }

            var lang = lines[i][3..].Trim();
            var start = i + 1;
            var j = start;
            while (j < lines.Length && !lines[j].StartsWith("```", StringComparison.Ordinal))
            {
                j++;
            }

            blocks.Add((i + 1, lang, string.Join('\n', lines[start..j])));
            i = j;
        }

        var examples = new List<Example>();
        for (var k = 0; k + 2 < blocks.Count; k++)
        {
            if (blocks[k].Lang == ruleLang && blocks[k + 1].Lang == inputLang && blocks[k + 2].Lang == "record")
            {
                examples.Add(new Example(blocks[k].Line, blocks[k].Body, blocks[k + 1].Body, blocks[k + 2].Body));
            }
        }

        return examples;
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Wp.sln) not found");
    }
}
