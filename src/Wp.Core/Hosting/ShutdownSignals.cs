using System.Runtime.InteropServices;

namespace Wp.Core.Hosting;

/// <summary>
/// Turns SIGINT, SIGTERM, SIGUSR1 and SIGHUP into one cancellation token for a graceful stop
/// (SPEC §4.1, §9.7, §10). The default action (immediate exit) is cancelled so in-flight batches
/// finish and flush. SIGHUP is a stop, not a reload: closing the SSH session of a daemon started in
/// it must end the daemon cleanly (final table, sealed rescue files, saved positions), never kill it.
/// </summary>
/// <remarks>
/// A daemon started with <c>&amp;</c> from a non-interactive shell script inherits SIGINT (and
/// SIGQUIT) as ignored (POSIX job control is off in scripts), and a signal ignored at exec cannot
/// be caught: stop such daemons with SIGTERM or SIGUSR1.
/// </remarks>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public ShutdownSignals()
    {
        Register(PosixSignal.SIGINT);
        Register(PosixSignal.SIGTERM);
        if (!OperatingSystem.IsWindows())
        {
            Register(PosixSignal.SIGHUP);
        }

        if (!OperatingSystem.IsWindows())
        {
            // PosixSignalRegistration takes raw signal numbers on Unix; SIGUSR1 differs by platform.
            Register((PosixSignal)(OperatingSystem.IsLinux() ? 10 : 30));
        }
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that asked for the stop, if any (for the log).</summary>
    public string? Received { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void Register(PosixSignal signal)
    {
        _registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            Received ??= Name(context.Signal);
            _stop.Cancel();
        }));
    }

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => "SIGINT",
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGHUP => "SIGHUP",
        _ => "SIGUSR1",
    };
}
