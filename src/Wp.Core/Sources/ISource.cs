using System.Threading.Channels;

namespace Wp.Core.Sources;

/// <summary>
/// One running source (docs/sources.md): reads its input into <see cref="LineBatch"/>es until its end
/// (batch mode), its budget or idle limit, or <c>stop</c>. Lines already read are always handed
/// over, even when stopping.
/// </summary>
internal interface ISource
{
    SourceCounters Counters { get; }

    /// <summary>Runs to the end. Throws <see cref="IOException"/> when the input cannot be opened (logged by the engine).</summary>
    Task RunAsync(ChannelWriter<LineBatch> output, CancellationToken stop);
}

/// <summary>What every source of one wparse run shares.</summary>
/// <param name="Follow">Daemon mode: keep reading until stopped (file sources follow appended lines).</param>
/// <param name="Limiter">The speed limit shared by all sources.</param>
/// <param name="Budget">The <c>--max-line</c> budget shared by all sources.</param>
/// <param name="Time">Clock and timers.</param>
/// <param name="Log">Where sources log (positions, connections, drops, cut frames).</param>
/// <param name="Positions">Where file sources keep their read positions (null: <c>pos_root</c> off).</param>
/// <param name="FromStart"><c>--from-start</c>: file sources ignore saved positions.</param>
/// <param name="Records">The run's record pool: file sources decode their lines into its leases (<see cref="LineBatch"/>); null: string lines.</param>
internal sealed record SourceRun(
    bool Follow, Timing.SpeedLimiter Limiter, LineBudget Budget, TimeProvider Time, Serilog.ILogger Log, Files.PositionStore? Positions = null, bool FromStart = false, Records.RecordPool? Records = null);
