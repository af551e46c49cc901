using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Expect;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj validate sink-file [-v] [--input-cnt N] [--json]</c> (also under <c>wproj data</c>): exit 4 on an error-mode failure.</summary>
internal static class ValidateCommand
{
    /// <summary>Alone (<c>wproj data validate</c>, as WarpParse scripts write it) it is <c>validate sink-file</c>.</summary>
    public static Command Create()
    {
        var sinkFile = SinkFile(new Command("sink-file", "Check each sink's share of lines against its expectation (sink/defaults.toml, group and sink expect)"));
        return SinkFile(new Command("validate", "Validate sink outputs against expectations (alone: same as 'validate sink-file')") { sinkFile });
    }

    private static Command SinkFile(Command command)
    {
        var workRoot = CommonOptions.WorkRoot();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the evidence per sink: group, sink, lines, denominator, ratio, expected, verdict" };
        var inputCount = new Option<long?>("--input-cnt") { Description = "Use N as total_input instead of the lines of the enabled sources" };
        inputCount.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is < 0)
            {
                r.AddError("--input-cnt must be 0 or more");
            }
        });
        var json = WprojOptions.Json();
        foreach (var option in new Option[] { workRoot, verbose, inputCount, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ExpectCommands.Validate(
            new WorkRoot(result.GetValue(workRoot)!),
            result.GetValue(verbose),
            result.GetValue(inputCount),
            result.GetValue(json),
            Console.Out,
            Console.Error,
            ConsoleStyle.ForStdout()))));
        return command;
    }
}
