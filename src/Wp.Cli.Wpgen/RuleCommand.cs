using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Generation;
using Wp.Core.Hosting.Cli;
using Wp.Core.Timing;

namespace Wp.Cli.Wpgen;

/// <summary><c>wpgen rule</c>: random lines from models/wpl/**/gen_rule.wpl (+ gen_field.toml) into the generator output.</summary>
internal static class RuleCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var count = CommonOptions.Lines("--count", "Lines to write (default: [generator] count)", "--line-cnt");
        var speed = CommonOptions.SpeedLimit("Lines per second, 0 = unlimited (default: [generator] speed)", "-s", "--speed", "--gen-speed");
        var seed = new Option<long?>("--seed")
        {
            Description = $"Random seed (default {RuleGenerator.DefaultSeed}); the same seed, rules and count write the same lines",
        };
        var stat = CommonOptions.Stat();
        var printStat = CommonOptions.PrintStat();
        var command = new Command("rule", "Generate random lines from every models/wpl/**/gen_rule.wpl (value settings from gen_field.toml beside it)")
        {
            workRoot, count, speed, seed, stat, printStat,
        };
        command.SetAction((result, _) => CliHost.RunAsync("wpgen", workRoot: result.GetValue(workRoot), body: async () =>
        {
            var root = new WorkRoot(result.GetValue(workRoot)!);
            var engine = ProjectLoader.LoadEngine(root);
            var options = GeneratorConfigLoader.Load(root);
            var rules = GenRuleSet.LoadDirectory(engine.WplRoot);
            var generator = new RuleGenerator(rules, options.OutputPath, result.GetValue(seed) ?? RuleGenerator.DefaultSeed);
            var total = result.GetValue(count) ?? options.Count;
            var limiter = new SpeedLimiter(result.GetValue(speed) ?? options.Speed, TimeProvider.System);

            var window = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(stat) ?? engine.StatWindowSec));
            return await GeneratorRun.RunAsync(generator, stop => generator.RunAsync(total, limiter, stop), window, result.GetValue(printStat), root, options, "rule");
        }));
        return command;
    }
}
