using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Expect;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj stat file | src-file | sink-file [--json]</c> (also under <c>wproj data</c>).</summary>
internal static class StatCommand
{
    public static Command Create() =>
        new("stat", "Line counts of source files and sink output files")
        {
            Leaf("file", "Sources and sinks", StatScope.All),
            Leaf("src-file", "Sources: key, enabled, lines, path", StatScope.Sources),
            Leaf("sink-file", "Sinks: scope, group, sink, lines, path", StatScope.Sinks),
        };

    private static Command Leaf(string name, string description, StatScope scope)
    {
        var workRoot = CommonOptions.WorkRoot();
        var json = WprojOptions.Json();
        var command = new Command(name, description) { workRoot, json };
        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ExpectCommands.Stat(
            new WorkRoot(result.GetValue(workRoot)!), scope, result.GetValue(json), Console.Out, ConsoleStyle.ForStdout()))));
        return command;
    }
}
