using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Generation;
using Wp.Core.Hosting.Cli;
using Wp.Core.Timing;

namespace Wp.Cli.Wpgen;

/// <summary><c>wpgen sample</c>: replay sample.dat lines into the generator output.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var count = CommonOptions.Lines("--count", "Lines to write (default: [generator] count)", "--line-cnt");
        var speed = CommonOptions.SpeedLimit("Lines per second, 0 = unlimited (default: [generator] speed)", "-s", "--speed", "--gen-speed");
        var stat = CommonOptions.Stat();
        var printStat = CommonOptions.PrintStat();
        var command = new Command("sample", "Cycle through every models/wpl/**/sample.dat line until N lines are written")
        {
            workRoot, count, speed, stat, printStat,
        };
        command.SetAction((result, _) => CliHost.RunAsync("wpgen", workRoot: result.GetValue(workRoot), body: async () =>
        {
            var root = new WorkRoot(result.GetValue(workRoot)!);
            var engine = ProjectLoader.LoadEngine(root);
            var options = GeneratorConfigLoader.Load(root);
            var generator = new SampleGenerator(SampleGenerator.LoadSamples(engine.WplRoot), options.OutputPath);
            var total = result.GetValue(count) ?? options.Count;
            var limiter = new SpeedLimiter(result.GetValue(speed) ?? options.Speed, TimeProvider.System);

            var window = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(stat) ?? engine.StatWindowSec));
            return await GeneratorRun.RunAsync(generator, stop => generator.RunAsync(total, limiter, stop), window, result.GetValue(printStat), root, options, "sample");
        }));
        return command;
    }
}
