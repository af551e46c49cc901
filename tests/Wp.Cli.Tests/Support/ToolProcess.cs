using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Wp.Cli.Tests.Support;

/// <summary>A published tool running as a real process, with its output captured.</summary>
internal sealed partial class ToolProcess : IDisposable
{
    public const int SigKill = 9;
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public static readonly int SigUsr1 = OperatingSystem.IsLinux() ? 10 : 30;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StdOut { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StdErr { get { lock (_stderr) { return _stderr.ToString(); } } }

    private const string EnvPath = "/usr/bin/env";

    public static ToolProcess Start(string tool, string workRoot, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        // Through `env --default-signal=INT` on Linux: a test run started in the background of a script
        // (`./build.sh test &`) inherits SIGINT as ignored, and so would every tool it starts, which would
        // then never see the SIGINT the stop tests send. env resets it and execs the tool (same pid).
        var resetSigInt = OperatingSystem.IsLinux() && File.Exists(EnvPath);
        var info = new ProcessStartInfo(resetSigInt ? EnvPath : Path.Combine(RepoPaths.Bin, tool))
        {
            WorkingDirectory = workRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (resetSigInt)
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(Path.Combine(RepoPaths.Bin, tool));
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new ToolProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start " + tool));
    }

    /// <summary>Runs a tool to completion (killing it after <paramref name="timeout"/>) and returns its result.</summary>
    public static async Task<ToolResult> RunAsync(string tool, string workRoot, IEnumerable<string> args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? env = null)
    {
        using var process = Start(tool, workRoot, args, env);
        var code = await process.WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        return new ToolResult(code, process.StdOut, process.StdErr);
    }

    /// <summary>Sends a signal to any process (a server the test started).</summary>
    public static void SignalPid(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed");
        }
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    /// <summary>Waits for exit and returns the exit code; kills the process and throws on timeout.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"process did not exit within {timeout}; stdout:\n{StdOut}\nstderr:\n{StdErr}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

internal sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
