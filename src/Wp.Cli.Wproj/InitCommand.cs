using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj init [--mode full|normal|conf|model|data]</c> (normal and model are WarpParse's modes).</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "full (or normal): configuration and data folders; conf: configuration only; model: models/ only; data: data folders only",
            DefaultValueFactory = _ => "full",
        };
        mode.AcceptOnlyFromAmong("full", "normal", "conf", "model", "data");
        var command = new Command("init", "Create the work root layout; existing files are kept, never overwritten") { workRoot, mode };
        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ProjectInit.Run(
            new WorkRoot(result.GetValue(workRoot)!),
            result.GetValue(mode) switch
            {
                "conf" => InitMode.Conf,
                "data" => InitMode.Data,
                "model" => InitMode.Model,
                _ => InitMode.Full,
            },
            Console.Out))));
        return command;
    }
}
