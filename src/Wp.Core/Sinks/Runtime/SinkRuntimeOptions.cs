using Wp.Core.Config;

namespace Wp.Core.Sinks.Runtime;

/// <summary>What one sink runtime needs to know; copied from the group, sink and engine options.</summary>
internal sealed record SinkRuntimeOptions
{
    public required string SinkName { get; init; }

    /// <summary>The group's strategy. Default <c>fix_retry</c>.</summary>
    public OnError OnError { get; init; } = OnError.FixRetry;

    /// <summary>Folder of the rescue files (resolved).</summary>
    public required string RescueRoot { get; init; }

    /// <summary>A rescue file is sealed after the batch that reaches this size. Default 64 MiB.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Wait before the first health probe of a down primary. Default 100 ms.</summary>
    public TimeSpan ProbeInitial { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The probe wait doubles up to this. Default 5 s.</summary>
    public TimeSpan ProbeMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each probe wait is spread by this fraction either way (<see cref="Timing.JitteredBackoff"/>). Default 0.2; 0 gives exact waits.</summary>
    public double ProbeJitter { get; init; } = Timing.JitteredBackoff.DefaultJitter;

    /// <summary>Source of the probe spread; null: <see cref="Random.Shared"/>. Tests inject a fixed one.</summary>
    public Random? ProbeRandom { get; init; }

    /// <summary>
    /// True (default, wparse): a failed write or flush is handled by <see cref="OnError"/>. False
    /// (replay mode, wprescue): every failed write or flush throws <see cref="SinkFailedException"/>
    /// whatever the strategy — nothing goes to a rescue file or the error group and no probe runs,
    /// because the caller still holds the records (in the rescue file it replays, SPEC §9.6).
    /// </summary>
    public bool DivertOnFailure { get; init; } = true;

    /// <summary>
    /// A primary write or flush that has not finished after this long counts as failed (the backend is
    /// down), so one hanging backend never stalls its group — nor, through back-pressure, every other
    /// group. The batch is then handled like any failed batch; should the hung write complete later, its
    /// records are in the primary as well (at-least-once, as after any timeout). Default 60 s.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
