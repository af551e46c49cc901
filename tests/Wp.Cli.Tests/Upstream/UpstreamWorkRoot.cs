using System.Diagnostics;
using System.Runtime.CompilerServices;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Upstream;

/// <summary>
/// A temp copy of one of the upstream-layout work roots under tests/Wp.Cli.Tests/Upstream/WorkRoots
/// (our own fixtures, written in WarpParse's layout), with a runner for its bash scripts.
/// </summary>
internal sealed class UpstreamWorkRoot : IDisposable
{
    public UpstreamWorkRoot(string name, [CallerMemberName] string test = "")
    {
        Root = E2eFolder.For(test);
        var from = Path.Combine(RepoPaths.Root, "tests", "Wp.Cli.Tests", "Upstream", "WorkRoots", name);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string[] Files(string folder, string pattern) =>
        Directory.Exists(PathOf(folder)) ? Directory.GetFiles(PathOf(folder), pattern).Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>Runs <c>bash SCRIPT</c> from another directory (the scripts cd to their own), the tools first on PATH.</summary>
    public async Task<ToolResult> RunScript(string script, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("bash", [PathOf(script)])
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = RepoPaths.Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Temp space is reclaimed later.
        }
    }
}
