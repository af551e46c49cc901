using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Pipeline;

namespace Wp.Cli.Wparse;

/// <summary>wparse: read sources, parse with WPL, route, write sinks (SPEC §4–§8, §10).</summary>
internal static class WparseCommands
{
    public static RootCommand Root() =>
        new("wparse — parse log lines with WPL rules and write them to sink groups")
        {
            Run("batch", "Read every source to its end, drain, flush and exit", follow: false),
            Run("daemon", "Follow sources for appended lines until SIGTERM, SIGUSR1, SIGHUP or SIGINT", follow: true),
        };

    private static Command Run(string name, string description, bool follow)
    {
        var workRoot = CommonOptions.WorkRoot();
        var stat = CommonOptions.Stat();
        var printStat = CommonOptions.PrintStat();
        var speedLimit = CommonOptions.SpeedLimit();
        var maxLine = CommonOptions.Lines("--max-line", "Stop after this many lines in all (0 = no limit)");
        // WarpParse's record-check thresholds (upstream's own engine no longer acts on them: its checker
        // is disabled). Accepted so upstream scripts (wparse batch -S 1 ...) run; they change nothing.
        var checkStop = new Option<int?>("--check-stop", "-S")
        {
            Description = "WarpParse compatibility: upstream's check-stop threshold; accepted, has no effect",
        };
        var checkContinue = new Option<int?>("--check-continue", "-s")
        {
            Description = "WarpParse compatibility: upstream's check-continue threshold; accepted, has no effect",
        };
        var parseWorkers = new Option<int?>("--parse-workers") { Description = "Parse workers (overrides parse_workers)" };
        parseWorkers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 1024)
            {
                r.AddError("--parse-workers must be between 1 and 1024");
            }
        });
        var wpl = new Option<string?>("--wpl") { Description = "WPL rules folder (overrides [models] wpl; relative to the work root)" };
        var fromStart = new Option<bool>("--from-start") { Description = "Ignore saved read positions: read every file source from its first line" };
        var command = new Command(name, description) { workRoot, stat, printStat, speedLimit, maxLine, fromStart, checkStop, checkContinue, parseWorkers, wpl };
        command.SetAction((result, _) => CliHost.RunAsync("wparse", workRoot: result.GetValue(workRoot), body: async () =>
        {
            using var signals = new ShutdownSignals();
            var options = new WparseOptions(
                new WorkRoot(result.GetValue(workRoot)!),
                follow,
                result.GetValue(stat),
                result.GetValue(printStat),
                result.GetValue(speedLimit),
                result.GetValue(maxLine) ?? 0,
                result.GetValue(fromStart),
                result.GetValue(parseWorkers),
                result.GetValue(wpl));
            return await new WparseEngine(options, TimeProvider.System).RunAsync(Console.Out, Console.Error, signals.Token);
        }));
        return command;
    }
}
