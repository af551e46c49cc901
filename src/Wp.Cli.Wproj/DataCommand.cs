using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj data clean [--rescue]</c>, plus <c>data stat</c> and <c>data validate</c> as aliases of the top-level commands.</summary>
internal static class DataCommand
{
    public static Command Create() =>
        new("data", "Work root data: clean outputs; stat and validate (same as wproj stat / wproj validate)")
        {
            Clean(),
            StatCommand.Create(),
            ValidateCommand.Create(),
        };

    private static Command Clean()
    {
        var workRoot = CommonOptions.WorkRoot();
        var rescue = new Option<bool>("--rescue")
        {
            Description = "Also delete rescue files (undelivered data!), recover.lock and bad/ entries",
        };
        var command = new Command("clean", "Delete sink outputs and generator output; rescue files are kept unless --rescue") { workRoot, rescue };
        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(DataClean.Run(
            new WorkRoot(result.GetValue(workRoot)!), result.GetValue(rescue), Console.Out, Console.Error))));
        return command;
    }
}
