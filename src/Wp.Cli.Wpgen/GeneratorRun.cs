using Wp.Core.Hosting;
using Wp.Core.Stats;

namespace Wp.Cli.Wpgen;

/// <summary>What every generator command does around the generating itself: signals, stat windows, the final table.</summary>
internal static class GeneratorRun
{
    public static async Task<int> RunAsync(IStatSource generator, Func<CancellationToken, Task> generate, TimeSpan window, bool printStat)
    {
        using var signals = new ShutdownSignals();
        using var statStop = new CancellationTokenSource();
        var reporter = new StatReporter([generator], TimeProvider.System, "wpgen");
        var statTask = reporter.RunAsync(window, printStat ? Console.Out : null, monitor: null, statStop.Token);
        await generate(signals.Token);
        await statStop.CancelAsync();
        await statTask;
        Console.Out.Write(StatTable.Render("-- wpgen total --", reporter.FinalTable()));
        return ExitCodes.Success;
    }
}
