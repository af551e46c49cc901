using Wp.Core.Config;

namespace Wp.Core.Pipeline;

/// <summary>What the wparse command line asks for (SPEC §10, §13).</summary>
/// <param name="Root">The work root.</param>
/// <param name="Follow">Daemon mode: follow sources for appended lines until signalled.</param>
/// <param name="StatSec">Stat window from <c>--stat</c>; null keeps <c>[stat] window_sec</c>.</param>
/// <param name="PrintStat">Print each window's table (<c>-p</c>).</param>
/// <param name="SpeedLimit">Lines/s from <c>--speed-limit</c>; null keeps <c>speed_limit</c>.</param>
/// <param name="MaxLines">Stop after this many lines in all (<c>-n</c>); 0 = no limit.</param>
/// <param name="FromStart">Ignore saved read positions (<c>--from-start</c>, SPEC §4.1).</param>
/// <param name="ParseWorkers">Parse workers from <c>--parse-workers</c>; null keeps <c>parse_workers</c>.</param>
/// <param name="WplDir">WPL folder from <c>--wpl</c> (relative to the work root); null keeps <c>[models] wpl</c>.</param>
internal sealed record WparseOptions(
    WorkRoot Root, bool Follow, int? StatSec, bool PrintStat, long? SpeedLimit, long MaxLines, bool FromStart = false, int? ParseWorkers = null, string? WplDir = null);
