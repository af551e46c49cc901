using System.Text.RegularExpressions;
using Wp.Core.Config;
using Wp.Core.Tests.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Docs;

/// <summary>
/// Every ```toml block of docs/configuration.md and of README.md's "Sinks" section whose first line names a file
/// (<c># sink/business.d/x.toml</c>) is written into a minimal work root, with the connector files
/// of the same document, and must load without a problem: the documented examples stay true.
/// </summary>
public sealed partial class DocExamplesTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var doc in new[] { "README.md", "docs/configuration.md" })
        {
            var blocks = Blocks(doc);
            for (var i = 0; i < blocks.Count; i++)
            {
                data.Add(doc, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_documented_example_loads(string doc, int index)
    {
        var blocks = Blocks(doc);
        var (path, text) = blocks[index];
        Environment.SetEnvironmentVariable("WP_PG_PASSWORD", "doc-example-secret");
        using var root = TempWorkRoot.Create().WithMinimalProject();
        foreach (var connector in blocks.Where(b => b.Path.StartsWith("connectors/", StringComparison.Ordinal)))
        {
            root.Write(connector.Path, connector.Text);
        }

        root.Write(path, text);
        foreach (System.Text.RegularExpressions.Match names in System.Text.RegularExpressions.Regex.Matches(text, @"oml\s*=\s*\[([^\]]*)\]"))
        {
            // A group's oml names must be models (one validation path): give each a minimal one.
            foreach (System.Text.RegularExpressions.Match name in System.Text.RegularExpressions.Regex.Matches(names.Groups[1].Value, "\"([^\"]+)\""))
            {
                root.Write($"models/oml/{name.Groups[1].Value}.oml", $"name : {name.Groups[1].Value}\nrule : /{name.Groups[1].Value}/*\n---\n* : auto = take() ;\n");
            }
        }

        var act = () => ProjectLoader.Load(root.WorkRoot);

        act.Should().NotThrow($"{doc} example #{index} ({path}) must load:\n{text}");
    }

    [Fact]
    public void Both_documents_have_examples_of_every_database_sink()
    {
        var text = File.ReadAllText(Repo("README.md")) + File.ReadAllText(Repo("docs/configuration.md"));
        text.Should().Contain("postgres_sink").And.Contain("mysql_sink").And.Contain("clickhouse_sink");
        Blocks("docs/configuration.md").Should().HaveCountGreaterThanOrEqualTo(6);
        Blocks("README.md").Should().Contain(b => b.Text.Contains("connect = \"postgres_sink\"", StringComparison.Ordinal));
    }

    private static List<(string Path, string Text)> Blocks(string doc) =>
        TomlBlock().Matches(Section(doc))
            .Select(m => (Path: m.Groups[1].Value.Trim(), Text: m.Groups[0].Value.Split('\n', 2)[1][..^3]))
            .ToList();

    // README.md: only its "Sinks" section (other sections show composite snippets of several files).
    private static string Section(string doc)
    {
        var text = File.ReadAllText(Repo(doc));
        if (doc != "README.md")
        {
            return text;
        }

        var start = text.IndexOf("\n## Sinks\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        return text[start..end];
    }

    private static string Repo(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("Wp.sln not found");
    }

    // ```toml, then a first line "# some/path.toml", up to the closing ```.
    [GeneratedRegex(@"```toml\n# ([A-Za-z0-9_./-]+\.toml)\n[\s\S]*?```")]
    private static partial Regex TomlBlock();
}
