using System.Text;
using Wp.Core.Expect;
using Wp.Core.Hosting.Cli;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Expect;

/// <summary>Fixture work roots for stat and validate: a source, groups written from short specs, files of N lines.</summary>
internal static class ExpectFixtures
{
    /// <summary>One sink of a fixture group: its name, output file under data/out_dat, and expect keys (TOML lines) if any.</summary>
    public sealed record Sink(string Name, string File, string? Expect = null);

    /// <summary>conf/wparse.toml with defaults and one enabled source reading data/in_dat/gen.dat.</summary>
    public static TempWorkRoot WithProject(this TempWorkRoot root) => root
        .Write("conf/wparse.toml", "version = \"1.0\"\n")
        .Write("conf/wpsrc.toml", """
            [[sources]]
            key     = "file_1"
            enable  = true
            connect = "file_src"
            params  = { base = "./data/in_dat", file = "gen.dat" }
            """);

    public static TempWorkRoot WithDefaults(this TempWorkRoot root, string expectKeys) =>
        root.Write("sink/defaults.toml", "[defaults.expect]\n" + expectKeys + "\n");

    /// <summary>A business group claiming <c>/name/*</c>, in sink/business.d/&lt;name&gt;.toml.</summary>
    public static TempWorkRoot WithBusinessGroup(this TempWorkRoot root, string name, string? groupExpect, params Sink[] sinks) =>
        root.Write($"sink/business.d/{name}.toml", GroupToml(name, $"rule = [\"/{name}/*\"]\n", groupExpect, sinks));

    /// <summary>An infra group in sink/infra.d/&lt;name&gt;.toml.</summary>
    public static TempWorkRoot WithInfraGroup(this TempWorkRoot root, string name, string? groupExpect, params Sink[] sinks) =>
        root.Write($"sink/infra.d/{name}.toml", GroupToml(name, string.Empty, groupExpect, sinks));

    /// <summary>Writes a file of <paramref name="lines"/> short lines ('\n'-terminated).</summary>
    public static TempWorkRoot WithLines(this TempWorkRoot root, string relativePath, int lines)
    {
        var text = new StringBuilder(lines * 8);
        for (var i = 0; i < lines; i++)
        {
            text.Append("line ").Append(i % 100).Append('\n');
        }

        return root.Write(relativePath, text.ToString());
    }

    public static TempWorkRoot WithSourceLines(this TempWorkRoot root, int lines) => root.WithLines("data/in_dat/gen.dat", lines);

    public static TempWorkRoot WithOutput(this TempWorkRoot root, string file, int lines) => root.WithLines($"data/out_dat/{file}", lines);

    public static string Stat(this TempWorkRoot root, StatScope scope, bool json = false)
    {
        var output = new StringWriter();
        ExpectCommands.Stat(root.WorkRoot, scope, json, output, ConsoleStyle.Plain).Should().Be(0);
        return Normalize(output);
    }

    public static (int Code, string Out, string Err) Validate(this TempWorkRoot root, bool verbose = false, long? inputCount = null, bool json = false)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ExpectCommands.Validate(root.WorkRoot, verbose, inputCount, json, output, error, ConsoleStyle.Plain);
        return (code, Normalize(output), Normalize(error));
    }

    /// <summary>Golden text as written in a raw string literal: '\n' line ends and a final newline.</summary>
    public static string Golden(string text) => text.ReplaceLineEndings("\n") + "\n";

    private static string Normalize(StringWriter writer) => writer.ToString().ReplaceLineEndings("\n");

    private static string GroupToml(string name, string claim, string? groupExpect, Sink[] sinks)
    {
        var toml = new StringBuilder();
        toml.Append("version = \"2.0\"\n\n[sink_group]\n").Append($"name = \"{name}\"\n").Append(claim);
        if (groupExpect is not null)
        {
            toml.Append("[sink_group.expect]\n").Append(groupExpect).Append('\n');
        }

        foreach (var sink in sinks)
        {
            toml.Append("\n[[sink_group.sinks]]\n")
                .Append($"name    = \"{sink.Name}\"\n")
                .Append("connect = \"file_kv_sink\"\n")
                .Append($"params  = {{ file = \"{sink.File}\" }}\n");
            if (sink.Expect is not null)
            {
                toml.Append("[sink_group.sinks.expect]\n").Append(sink.Expect).Append('\n');
            }
        }

        return toml.ToString();
    }
}
