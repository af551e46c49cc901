using System.Diagnostics;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Usecase;

/// <summary>
/// The usecase's own scripts, run as a user runs them: case_interrupt.sh, then case_recovery.sh
/// (issue 6). Their logs and the validation output are kept under artifacts/usecase/ for CI.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class UsecaseScriptsTests
{
    [Fact]
    public async Task Case_interrupt_then_case_recovery_pass_and_leave_the_seed_log_keywords()
    {
        using var root = new UsecaseCopy();

        var interrupt = await RunScript(root, "case_interrupt.sh");
        var recovery = await RunScript(root, "case_recovery.sh");
        var validate = await ToolProcess.RunAsync("wproj", root.Root, ["validate", "sink-file", "-v"]);
        KeepArtifacts(root, interrupt, recovery, validate);

        interrupt.ExitCode.Should().Be(0, interrupt.ToString());
        interrupt.StdOut.Should().Contain("case_interrupt: OK");
        recovery.ExitCode.Should().Be(0, recovery.ToString());
        recovery.StdOut.Should().Contain("validate: PASS").And.Contain("case_recovery: OK");
        root.RescueFiles("benchmark_file_sink").Should().BeEmpty();
        var wparseLog = File.ReadAllText(root.PathOf("logs/wparse.log"));
        var wprescueLog = File.ReadAllText(root.PathOf("logs/wprescue.log"));
        wparseLog.Should().Contain("reconnect success");
        wprescueLog.Should().Contain("recover begin").And.Contain("recover file: ").And.Contain("recover begin! file : ")
            .And.Contain("recover end! clean file : ").And.Contain("recover end\n");
    }

    private static async Task<ToolResult> RunScript(UsecaseCopy root, string script)
    {
        var info = new ProcessStartInfo("bash", [root.PathOf(script)])
        {
            WorkingDirectory = Path.GetTempPath(), // the scripts must work from any directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = RepoPaths.Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    private static void KeepArtifacts(UsecaseCopy root, params ToolResult[] results)
    {
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "usecase");
        Directory.CreateDirectory(folder);
        foreach (var log in new[] { "wparse.log", "wprescue.log" })
        {
            if (File.Exists(root.PathOf("logs/" + log)))
            {
                File.Copy(root.PathOf("logs/" + log), Path.Combine(folder, log), overwrite: true);
            }
        }

        string[] names = ["case_interrupt.out", "case_recovery.out", "validate.out"];
        foreach (var (name, result) in names.Zip(results))
        {
            File.WriteAllText(Path.Combine(folder, name), result.ToString());
        }
    }
}
