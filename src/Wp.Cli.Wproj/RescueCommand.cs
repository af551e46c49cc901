using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj rescue stat [--json]</c>.</summary>
internal static class RescueCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var json = WprojOptions.Json();
        var stat = new Command("stat", "Rescue files (sealed, open, orphaned, unroutable) with lines and bytes, and the recovery checkpoint") { workRoot, json };
        stat.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(RescueStat.Run(
            new WorkRoot(result.GetValue(workRoot)!), result.GetValue(json), Console.Out, ConsoleStyle.ForStdout()))));
        return new Command("rescue", "Rescue folder") { stat };
    }
}
