using Serilog.Events;
using Wp.Core.Config;

namespace Wp.Core.Hosting;

/// <summary>
/// The level string of SPEC §3: a root level, then <c>target=level</c> pairs, e.g.
/// <c>warn,ctrl=info,recover=debug</c>. Targets are log source contexts (<c>recover</c>, <c>sink</c> …).
/// </summary>
internal sealed record LogLevelSpec(LogEventLevel Root, IReadOnlyDictionary<string, LogEventLevel> Targets)
{
    /// <summary>Parses the spec; throws <see cref="ConfigException"/> naming <paramref name="file"/> on a bad level.</summary>
    public static LogLevelSpec Parse(string spec, string file)
    {
        var root = LogEventLevel.Warning;
        var targets = new Dictionary<string, LogEventLevel>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                root = ParseLevel(part, file);
            }
            else
            {
                targets[part[..eq].Trim()] = ParseLevel(part[(eq + 1)..].Trim(), file);
            }
        }

        return new LogLevelSpec(root, targets);
    }

    private static LogEventLevel ParseLevel(string text, string file) => text.ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "info" or "information" => LogEventLevel.Information,
        "warn" or "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "off" or "fatal" => LogEventLevel.Fatal,
        _ => throw new ConfigException(file, $"[log_conf] level: unknown level '{text}' (trace, debug, info, warn, error, off)"),
    };
}
