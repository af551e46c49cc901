using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj check</c>: exit 0 when every item is ok, 4 when any problem is found.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var probe = new Option<bool>("--probe") { Description = "Also connect to every database sink and report reachable or not (secrets are never printed)" };
        var json = WprojOptions.Json();
        var command = new Command("check", "Load every config, WPL and OML file, resolve names and folders; print item, result, detail") { workRoot, probe, json };
        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ProjectCheck.Run(
            new WorkRoot(result.GetValue(workRoot)!), Console.Out, Console.Error, ConsoleStyle.ForStdout(), result.GetValue(probe), result.GetValue(json)))));
        return command;
    }
}
