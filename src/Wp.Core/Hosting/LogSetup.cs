using Serilog;
using Serilog.Core;
using Serilog.Events;
using Wp.Core.Config;

namespace Wp.Core.Hosting;

/// <summary>Builds the Serilog logger of a tool: <c>logs/&lt;tool&gt;.log</c>, warnings and errors also to stderr (SPEC §10).</summary>
internal static class LogSetup
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u4}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string ConsoleTemplate = "{Level:u4} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Logger Create(string tool, LogOptions options, WorkRoot root, string configFile)
    {
        var levels = LogLevelSpec.Parse(options.Level, configFile);
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(levels.Targets.Values.Append(levels.Root).Min())
            .Enrich.WithProperty("SourceContext", tool)
            .Filter.ByIncludingOnly(e => e.Level >= LevelFor(e, levels));

        if (options.Output.HasFlag(LogOutput.File))
        {
            var folder = options.Path ?? root.LogsDir;
            Directory.CreateDirectory(folder);
            config.WriteTo.File(Path.Combine(folder, tool + ".log"), outputTemplate: Template, shared: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }

        // The console always gets warnings and errors (on stderr); with output=console it gets everything.
        var consoleFloor = options.Output.HasFlag(LogOutput.Console) ? LevelAlias.Minimum : LogEventLevel.Warning;
        config.WriteTo.Console(outputTemplate: ConsoleTemplate, restrictedToMinimumLevel: consoleFloor, standardErrorFromLevel: LogEventLevel.Verbose);
        return config.CreateLogger();
    }

    private static LogEventLevel LevelFor(LogEvent e, LogLevelSpec levels)
    {
        if (e.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string context })
        {
            // The longest configured target that prefixes the context wins ("recover" covers "recover.pick").
            LogEventLevel? best = null;
            var bestLength = -1;
            foreach (var (target, level) in levels.Targets)
            {
                if (target.Length > bestLength && (context == target || context.StartsWith(target + ".", StringComparison.Ordinal)))
                {
                    best = level;
                    bestLength = target.Length;
                }
            }

            if (best is { } found)
            {
                return found;
            }
        }

        return levels.Root;
    }
}
