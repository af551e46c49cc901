using System.Diagnostics;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Usecase;

/// <summary>usecase/core/scale_out/run.sh as a user runs it: two wparse on one JetStream durable, one killed with kill -9.</summary>
[Collection(E2eCollection.Name)]
public sealed class ScaleOutScriptTests
{
    [Fact]
    public async Task The_scale_out_script_stores_every_line_across_a_kill_9()
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Usecase("scale_out"), "run.sh")])
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = RepoPaths.Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") + Path.PathSeparator + "/usr/sbin";
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = new ToolResult(process.ExitCode, await stdout, await stderr);
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "usecase");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "scale_out.out"), result.ToString());

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().Contain("scale_out: OK").And.Contain("missing 0");
    }
}
