using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Pipeline;

namespace Wp.Cli.Wparse;

/// <summary>wparse: read sources, parse with WPL, route, write sinks (SPEC §4–§8, §10).</summary>
internal static class WparseCommands
{
    public static RootCommand Root() =>
        new("wparse — parse log lines with WPL rules and write them to sink groups")
        {
            Run("batch", "Read every source to its end, drain, flush and exit", follow: false),
            Run("daemon", "Follow sources for appended lines until SIGINT, SIGTERM or SIGUSR1", follow: true),
        };

    private static Command Run(string name, string description, bool follow)
    {
        var workRoot = CommonOptions.WorkRoot();
        var stat = CommonOptions.Stat();
        var printStat = CommonOptions.PrintStat();
        var speedLimit = CommonOptions.SpeedLimit();
        var maxLine = CommonOptions.Lines("--max-line", "Stop after this many lines in all (0 = no limit)");
        var command = new Command(name, description) { workRoot, stat, printStat, speedLimit, maxLine };
        command.SetAction((result, _) => CliHost.RunAsync("wparse", workRoot: result.GetValue(workRoot), body: async () =>
        {
            using var signals = new ShutdownSignals();
            var options = new WparseOptions(
                new WorkRoot(result.GetValue(workRoot)!),
                follow,
                result.GetValue(stat),
                result.GetValue(printStat),
                result.GetValue(speedLimit),
                result.GetValue(maxLine) ?? 0);
            return await new WparseEngine(options, TimeProvider.System).RunAsync(Console.Out, Console.Error, signals.Token);
        }));
        return command;
    }
}
