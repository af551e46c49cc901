using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Expect;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj validate sink-file [-v] [--input-cnt N] [--json]</c> (also under <c>wproj data</c>): exit 4 on an error-mode failure.</summary>
internal static class ValidateCommand
{
    public static Command Create()
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
        var sinkFile = new Command("sink-file", "Check each sink's share of lines against its expectation (sink/defaults.toml, group and sink expect)")
        {
            workRoot, verbose, inputCount, json,
        };
        sinkFile.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () => Task.FromResult(ExpectCommands.Validate(
            new WorkRoot(result.GetValue(workRoot)!),
            result.GetValue(verbose),
            result.GetValue(inputCount),
            result.GetValue(json),
            Console.Out,
            Console.Error,
            ConsoleStyle.ForStdout()))));
        return new Command("validate", "Validate sink outputs against expectations") { sinkFile };
    }
}
