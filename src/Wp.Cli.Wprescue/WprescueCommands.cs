using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Recovery;

namespace Wp.Cli.Wprescue;

/// <summary>wprescue: replay rescue files into the sinks they came from (SPEC §9, §10, §13).</summary>
internal static class WprescueCommands
{
    public static RootCommand Root() =>
        new("wprescue — replay rescue files (data diverted while a sink was down) into the sink each came from, once")
        {
            Run("daemon", "Keep scanning the rescue folder and replaying until SIGTERM, SIGUSR1, SIGHUP or SIGINT", daemon: true, alias: "work"),
            Run("batch", "Replay what there is; exit after idle_exit_sec with nothing to do (exit 5 if files remain unreplayed)", daemon: false),
        };

    private static Command Run(string name, string description, bool daemon, string? alias = null)
    {
        var workRoot = CommonOptions.WorkRoot();
        var stat = CommonOptions.Stat();
        var printStat = CommonOptions.PrintStat();
        var speedLimit = CommonOptions.SpeedLimit();
        var command = new Command(name, description) { workRoot, stat, printStat, speedLimit };
        if (alias is not null)
        {
            command.Aliases.Add(alias);
        }

        command.SetAction((result, _) => CliHost.RunAsync("wprescue", workRoot: result.GetValue(workRoot), body: async () =>
        {
            using var signals = new ShutdownSignals();
            var options = new RecoveryOptions(
                new WorkRoot(result.GetValue(workRoot)!),
                daemon,
                result.GetValue(stat),
                result.GetValue(printStat),
                result.GetValue(speedLimit));
            return await new RecoveryEngine(options, TimeProvider.System).RunAsync(Console.Out, Console.Error, signals.Token);
        }));
        return command;
    }
}
