using System.Runtime.CompilerServices;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// A private copy of a usecase work root in a temp folder named after the calling test, so e2e tests
/// can change config and data freely; deleted on dispose.
/// </summary>
internal sealed class UsecaseCopy : IDisposable
{
    public UsecaseCopy(string usecase = "sink_recovery", [CallerMemberName] string test = "")
    {
        Root = E2eFolder.For(test);
        Copy(RepoPaths.Usecase(usecase), Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string[] Lines(string relative) => File.Exists(PathOf(relative)) ? File.ReadAllLines(PathOf(relative)) : [];

    /// <summary>Replaces text in a config file, failing loudly when the text is not there.</summary>
    public void Edit(string relative, string find, string replace)
    {
        var text = File.ReadAllText(PathOf(relative));
        if (!text.Contains(find, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{find}' not found in {relative}");
        }

        File.WriteAllText(PathOf(relative), text.Replace(find, replace, StringComparison.Ordinal));
    }

    /// <summary>Points the benchmark sink at a plain kv file instead of the failing test_rescue backend.</summary>
    public void UsePlainFileSinks() =>
        Edit("sink/business.d/benchmark.toml", "connect = \"file_rescue_sink\"", "connect = \"file_kv_sink\"");

    /// <summary>Sets the benchmark group's failure strategy.</summary>
    public void SetBenchmarkOnError(string strategy) =>
        Edit("sink/business.d/benchmark.toml", "on_error = \"fix_retry\"", $"on_error = \"{strategy}\"");

    /// <summary>Sealed (<c>.dat</c>) and open (<c>.dat.lock</c>) rescue files of a sink.</summary>
    public string[] RescueFiles(string sink, string suffix = ".dat") =>
        Directory.Exists(PathOf("data/rescue"))
            ? Directory.GetFiles(PathOf("data/rescue"), sink + "-*" + suffix).Order(StringComparer.Ordinal).ToArray()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a test may still hold a file for a moment; temp space is reclaimed later.
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("data", StringComparison.Ordinal) || relative.StartsWith("logs", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
