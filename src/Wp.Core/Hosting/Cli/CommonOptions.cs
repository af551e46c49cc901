using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Wp.Core.Config;

namespace Wp.Core.Hosting.Cli;

/// <summary>
/// Options every tool shares (README.md), one name for one meaning across the tools:
/// <c>-w/--work-root</c>, <c>--stat</c>, <c>-p/--print-stat</c>, <c>--speed-limit</c> (lines per second),
/// <c>-n</c> (a number of lines). Numbers are whole and never negative: anything else is a usage error
/// (exit 2) with a message saying what is expected. Each call returns a new instance: an option belongs
/// to one command.
/// </summary>
internal static class CommonOptions
{
    public static Option<string> WorkRoot() => new("--work-root", "-w")
    {
        Description = "Work root folder; every relative path in the configuration resolves against it (before or after the command)",
        DefaultValueFactory = _ => ".",
    };

    public static Option<int?> Stat() => new("--stat")
    {
        Description = $"Stat window in seconds, 1 to {EngineLoader.MaxSeconds} (overrides [stat] window_sec)",
        CustomParser = r => (int?)Whole(r, "--stat", $"a whole number of seconds from 1 to {EngineLoader.MaxSeconds}", 1, EngineLoader.MaxSeconds),
    };

    /// <summary><c>-p/--print-stat</c>; <c>--print_stat</c> and <c>--stat-print</c> are WarpParse's spellings.</summary>
    public static Option<bool> PrintStat() => new("--print-stat", "-p", "--print_stat", "--stat-print")
    {
        Description = "Print each stat window's table to the console",
    };

    /// <summary><c>--speed-limit</c> in every tool; <paramref name="aliases"/> add a tool's own spellings (wpgen: <c>-s</c>, <c>--speed</c>).</summary>
    public static Option<long?> SpeedLimit(string description = "Cap in lines per second (overrides speed_limit); 0 = unlimited", params string[] aliases) =>
        new("--speed-limit", aliases)
        {
            Description = description,
            CustomParser = r => Whole(r, "--speed-limit", "a whole number of lines per second (0 = unlimited)", 0, long.MaxValue),
        };

    /// <summary><c>-n</c>: a number of lines; <paramref name="name"/> is the long name (<c>--max-line</c>, <c>--count</c>).</summary>
    public static Option<long?> Lines(string name, string description, params string[] aliases) =>
        new(name, ["-n", .. aliases])
        {
            Description = description,
            CustomParser = r => Whole(r, name, "a whole number of lines", 0, long.MaxValue),
        };

    /// <summary>Parses one whole, non-negative number in range; otherwise a human error on the option.</summary>
    internal static long? Whole(ArgumentResult result, string name, string expected, long min, long max)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} needs a value: {expected}");
            return null;
        }

        var text = result.Tokens[^1].Value;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            result.AddError($"{name}: '{text}' is not {expected}");
            return null;
        }

        return value;
    }
}
