using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Expect;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj stat file | src-file | sink-file [--json]</c> (also under <c>wproj data</c>).</summary>
internal static class StatCommand
{
    /// <summary>Alone (<c>wproj data stat</c>, as WarpParse scripts write it) it is <c>stat file</c>.</summary>
    public static Command Create()
    {
        var command = new Command("stat", "Line counts of source files and sink output files (alone: same as 'stat file')")
        {
            Leaf("file", "Sources and sinks", StatScope.All),
            Leaf("src-file", "Sources: key, enabled, lines, path", StatScope.Sources),
            Leaf("sink-file", "Sinks: scope, group, sink, lines, path", StatScope.Sinks),
        };
        return WithAction(command, StatScope.All);
    }

    private static Command Leaf(string name, string description, StatScope scope) => WithAction(new Command(name, description), scope);

    private static Command WithAction(Command command, StatScope scope)
    {
        var workRoot = CommonOptions.WorkRoot();
        var json = WprojOptions.Json();
        command.Options.Add(workRoot);
        command.Options.Add(json);
        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ExpectCommands.Stat(
            new WorkRoot(result.GetValue(workRoot)!), scope, result.GetValue(json), Console.Out, ConsoleStyle.ForStdout()))));
        return command;
    }
}
