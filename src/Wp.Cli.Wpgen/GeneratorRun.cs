using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Stats;

namespace Wp.Cli.Wpgen;

/// <summary>What every generator command does around the generating itself: signals, stat windows, the final table.</summary>
internal static class GeneratorRun
{
    public static async Task<int> RunAsync(
        IStatSource generator, Func<CancellationToken, Task> generate, TimeSpan window, bool printStat, WorkRoot root, GeneratorOptions options, string what)
    {
        // logs/wpgen.log as conf/wpgen.toml [logging] says (upstream's section; warnings by default).
        using var log = LogSetup.Create("wpgen", options.Log, root, root.Conf(GeneratorConfigLoader.FileName));
        var output = options.OutputName is { } name ? $"{name} ({options.OutputPath})" : options.OutputPath;
        log.Information("wpgen {What}: writing {Output}", what, output);
        using var signals = new ShutdownSignals();
        using var statStop = new CancellationTokenSource();
        var reporter = new StatReporter([generator], TimeProvider.System, "wpgen");
        var statTask = reporter.RunAsync(window, printStat ? Console.Out : null, monitor: null, statStop.Token);
        await generate(signals.Token);
        await statStop.CancelAsync();
        await statTask;
        Console.Out.Write(StatTable.Render("-- wpgen total --", reporter.FinalTable()));
        log.Information("wpgen {What}: done, {Output}", what, output);
        return ExitCodes.Success;
    }
}
