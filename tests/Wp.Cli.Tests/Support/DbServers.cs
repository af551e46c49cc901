using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// A throwaway database server for e2e tests: its own data folder under /tmp, a free loopback port,
/// started on first use and removed on dispose. <see cref="Stop"/> / <see cref="Start"/> let a test
/// take it down and bring it back mid-run. Servers that refuse root run as their own user
/// (<c>runuser -u postgres</c>, <c>mariadbd --user=mysql</c>). Shared by the tests of one class
/// (an xUnit class fixture); nothing depends on a system service.
/// </summary>
public abstract class DbServer : IDisposable
{
    private readonly object _gate = new();
    private bool _initialised;

    protected DbServer(string kind)
    {
        Kind = kind;
        Dir = Path.Combine("/tmp", $"wp-{kind}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(Dir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Dir, (UnixFileMode)0b111_101_101); // 0755: the server's user must reach it
        }
        Port = FreePort();
    }

    public string Kind { get; }

    /// <summary>The server's temp folder (data, sockets, logs).</summary>
    public string Dir { get; }

    public int Port { get; }

    /// <summary>Why the server cannot be used here (binaries missing), or null.</summary>
    public abstract string? Missing { get; }

    public bool IsRunning { get; private set; }

    /// <summary>Creates the data folder the first time, then starts the server and waits until it answers.</summary>
    public void Start()
    {
        if (Missing is { } missing)
        {
            throw new InvalidOperationException($"{Kind}: {missing} (./build.sh installs it)");
        }

        lock (_gate)
        {
            if (!_initialised)
            {
                Initialise();
                _initialised = true;
            }

            Launch();
            WaitReady();
            IsRunning = true;
        }
    }

    /// <summary>Ensures the server runs (first use).</summary>
    public void EnsureStarted()
    {
        if (!IsRunning)
        {
            Start();
        }
    }

    /// <summary>Takes the server down the way the outage tests want (fast shutdown or kill).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (IsRunning)
            {
                Halt();
                IsRunning = false;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (Exception)
        {
            // best effort at teardown
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        GC.SuppressFinalize(this);
    }

    protected abstract void Initialise();

    protected abstract void Launch();

    protected abstract void Halt();

    /// <summary>True once the server accepts a query.</summary>
    protected abstract bool Answers();

    /// <summary>Drops a table of the test database when it exists (the tests of a class share the server).</summary>
    public abstract void Drop(string table);

    protected static bool IsRoot => Environment.UserName == "root";

    private void WaitReady()
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Answers())
            {
                return;
            }

            Thread.Sleep(200);
        }

        throw new InvalidOperationException($"{Kind} on port {Port} did not answer within 60 s; see {Dir}");
    }

    /// <summary>Runs a command to completion; throws with its output when it fails.</summary>
    protected static string Run(string file, IEnumerable<string> args, string? asUser = null, int timeoutSec = 120)
    {
        var info = new ProcessStartInfo(asUser is not null && IsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null && IsRoot)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(asUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(file);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSec * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stdout.Result}{stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Starts a long-running server process in the background; its output goes to a log file.</summary>
    protected static Process Spawn(string file, IEnumerable<string> args, string log)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>" + Quote(log) + " 2>&1");
        info.ArgumentList.Add(file);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    protected static void Chown(string path, string user)
    {
        if (IsRoot)
        {
            Run("chown", ["-R", $"{user}:{user}", path]);
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    protected static bool TcpOpen(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
