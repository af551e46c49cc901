using System.CommandLine;

namespace Wp.Core.Hosting.Cli;

/// <summary>Options every tool shares (SPEC §2, §9.1, §10). Each call returns a new instance: an option belongs to one command.</summary>
internal static class CommonOptions
{
    public static Option<string> WorkRoot() => new("--work-root", "-w")
    {
        Description = "Work root folder; every relative path in the configuration resolves against it",
        DefaultValueFactory = _ => ".",
    };

    public static Option<int?> Stat() => new("--stat")
    {
        Description = "Stat window in seconds (overrides [stat] window_sec)",
    };

    /// <summary><c>-p/--print-stat</c>; <c>--print_stat</c> and <c>--stat-print</c> are WarpParse's spellings.</summary>
    public static Option<bool> PrintStat() => new("--print-stat", "-p", "--print_stat", "--stat-print")
    {
        Description = "Print each stat window's table to the console",
    };

    public static Option<long?> SpeedLimit() => new("--speed-limit")
    {
        Description = "Cap in lines per second (overrides speed_limit); 0 = unlimited",
    };
}
