namespace Wp.Core.Config;

/// <summary>conf/wparse.toml (SPEC §3). Paths are already resolved against the work root.</summary>
internal sealed class EngineOptions
{
    public string Version { get; init; } = "1.0";

    /// <summary>Rescue files and recover.lock live here. Default <c>./data/rescue</c>.</summary>
    public required string RescueRoot { get; init; }

    /// <summary>Holds defaults.toml, infra.d/, business.d/. Default <c>./sink</c>.</summary>
    public required string SinkRoot { get; init; }

    /// <summary>The sources file. Default <c>./conf/wpsrc.toml</c>.</summary>
    public required string SrcConf { get; init; }

    /// <summary>
    /// File sources keep their read positions here, one <c>&lt;key&gt;.pos</c> each (SPEC §4.1).
    /// Default <c>./data/pos</c>; null (only when built in code) keeps no positions.
    /// </summary>
    public string? PosRoot { get; init; }

    /// <summary>Read rate cap in lines/s for wparse sources and wprescue replay; 0 = unlimited.</summary>
    public long SpeedLimit { get; init; }

    /// <summary>Parallel parse workers. Default 2.</summary>
    public int ParseWorkers { get; init; } = 2;

    /// <summary>Folder of WPL rules. Default <c>./models/wpl</c>.</summary>
    public required string WplRoot { get; init; }

    /// <summary>Folder of OML models. Default <c>./models/oml</c>.</summary>
    public required string OmlRoot { get; init; }

    public RescueOptions Rescue { get; init; } = new();

    public LogOptions Log { get; init; } = new();

    /// <summary>Stat window in seconds. Default 60; <c>--stat N</c> overrides.</summary>
    public int StatWindowSec { get; init; } = 60;

    /// <summary>
    /// <c>[[stat.pick]]</c>, <c>[[stat.parse]]</c>, <c>[[stat.sink]]</c> (upstream): which rows of a
    /// stage the stat tables show. Empty (the default): every row.
    /// </summary>
    public IReadOnlyList<StatRequest> StatRequests { get; init; } = [];

    /// <summary>Folder of <c>knowdb.toml</c> and its CSV tables (<c>[models] knowledge</c>). Default <c>./models/knowledge</c>.</summary>
    public string KnowledgeRoot { get; init; } = "";

    /// <summary>Keys read under their upstream spelling instead of the seed's (<c>wproj check</c> lists them).</summary>
    public IReadOnlyList<ConfigSpelling> Spellings { get; init; } = [];

    /// <summary>Upstream keys that are accepted but change nothing in wp (<c>wproj check</c> warns about each).</summary>
    public IReadOnlyList<ConfigNote> NoEffect { get; init; } = [];
}

/// <summary>A key read under its upstream spelling: <c>[performance] parse_workers</c> for <c>parse_workers</c>.</summary>
/// <param name="Read">The spelling found in the file.</param>
/// <param name="Canonical">The seed-layout spelling it stands for.</param>
internal sealed record ConfigSpelling(string Read, string Canonical);

/// <summary>An accepted key worth a warning (file:line and why).</summary>
internal sealed record ConfigNote(string File, int Line, int Column, string Message);

/// <summary>
/// One <c>[[stat.STAGE]]</c> table (upstream): rows of <see cref="Stage"/> whose name or target
/// matches <see cref="Target"/> (<c>*</c> wildcard), the <see cref="TopN"/> largest by total.
/// </summary>
internal sealed record StatRequest(string Stage, string Key, string Target, IReadOnlyList<string> Fields, int? TopN);

/// <summary><c>[rescue]</c> tuning (SPEC §3).</summary>
internal sealed class RescueOptions
{
    /// <summary>Which rescue file wprescue takes first. Default newest.</summary>
    public RescueOrder Order { get; init; } = RescueOrder.Newest;

    /// <summary>Seal and start a new rescue file past this size. Default 64 MiB.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>wprescue checkpoint cadence in lines (also at least every 200 ms). Default 1000.</summary>
    public int CheckpointEveryLines { get; init; } = 1000;

    /// <summary>wprescue batch exits after this many seconds with nothing to do. Default 3.</summary>
    public double IdleExitSec { get; init; } = 3;
}

internal enum RescueOrder
{
    Newest,
    Oldest,
}

/// <summary><c>[log_conf]</c> (SPEC §3).</summary>
internal sealed class LogOptions
{
    /// <summary>Root level, then target=level pairs. Default <c>warn,ctrl=info,launch=info,recover=info</c>.</summary>
    public string Level { get; init; } = "warn,ctrl=info,launch=info,recover=info";

    public LogOutput Output { get; init; } = LogOutput.File;

    /// <summary>Folder of the log files, resolved. Default <c>./logs</c>.</summary>
    public string? Path { get; init; }
}

[Flags]
internal enum LogOutput
{
    File = 1,
    Console = 2,
    Both = File | Console,
}
