using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Wp.Bench;

/// <summary>
/// Micro benchmarks of the hot paths (issue 7): WPL matching, the four formatters, parse + format
/// per line, the rescue entry codec. Every benchmark reports per-line time and allocations
/// (MemoryDiagnoser; OperationsPerInvoke = lines per invoke). A short job keeps a full run to minutes.
/// Usage: <c>./build.sh micro [--filter *Wpl*]</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--loop", var what, ..])
        {
            QuickLoop.Run(what);
            return;
        }

        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithId("ShortRun"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddColumn(StatisticColumn.Median)
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
