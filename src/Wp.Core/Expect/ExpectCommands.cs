using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;

namespace Wp.Core.Expect;

/// <summary>The library side of <c>wproj stat</c> and <c>wproj validate</c>: load, count, evaluate, print, exit code.</summary>
internal static class ExpectCommands
{
    /// <summary><c>wproj stat file|src-file|sink-file [--json]</c>. Always 0 once the configuration loads.</summary>
    /// <exception cref="ConfigException">The configuration does not load (exit 3 via CliHost).</exception>
    public static int Stat(WorkRoot root, StatScope scope, bool json, TextWriter output, ConsoleStyle style)
    {
        var report = LineReport.Collect(ProjectLoader.Load(root), scope);
        if (json)
        {
            StatOutput.WriteJson(report, output);
        }
        else
        {
            StatOutput.WriteTables(report, output, style);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>wproj validate sink-file [-v] [--input-cnt N] [--json]</c>. Returns 0 for PASS and WARN,
    /// 4 when any expectation of an <c>error</c>-mode group failed (one line on <paramref name="error"/> says which).
    /// </summary>
    /// <exception cref="ConfigException">The configuration does not load (exit 3 via CliHost).</exception>
    public static int Validate(WorkRoot root, bool verbose, long? inputCount, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var config = ProjectLoader.Load(root);
        var lines = LineReport.Collect(config, inputCount is null ? StatScope.All : StatScope.Sinks);
        var report = ExpectEvaluator.Evaluate(config, lines, inputCount);
        if (json)
        {
            ValidateOutput.WriteJson(report, output);
        }
        else
        {
            ValidateOutput.WriteText(report, verbose, output, style);
        }

        if (report.Errors == 0)
        {
            return ExitCodes.Success;
        }

        var first = report.Findings.First(f => f.Severity == Severity.Error);
        error.WriteLine(
            $"wproj validate: {report.Errors} expectation{(report.Errors == 1 ? "" : "s")} failed; first: {first.Sink ?? "group"} ({first.Group}): {first.Message}");
        return ExitCodes.ValidationFailed;
    }
}
