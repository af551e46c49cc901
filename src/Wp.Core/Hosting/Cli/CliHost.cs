using System.CommandLine;
using Wp.Core.Config;

namespace Wp.Core.Hosting.Cli;

/// <summary>
/// Runs a tool's root command with the suite's exit-code contract (SPEC §13): usage errors exit 2,
/// configuration errors 3, unexpected failures 1 — each with one clear line on stderr, never a stack
/// trace (that goes to the tool's log file, whose path the line names).
/// </summary>
internal static class CliHost
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(HoistWorkRoot(root, args));
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"{root.Name}: {error.Message}");
            }

            foreach (var suggestion in Suggestions(parsed))
            {
                await Console.Error.WriteLineAsync($"{root.Name}: {suggestion}");
            }

            await Console.Error.WriteLineAsync($"Try '{root.Name} --help'.");
            return ExitCodes.Usage;
        }

        // Signals are handled by ShutdownSignals inside long-running commands, not by the parser's host.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>
    /// "Did you mean" for each token the parser did not recognise: the closest option of the command it
    /// belongs to (its own, and those of its parents that apply to it) for a token starting with '-', else
    /// the closest subcommand of that command or a parent. Tokens with nothing close get no line.
    /// </summary>
    internal static IEnumerable<string> Suggestions(ParseResult parsed)
    {
        var options = new List<string>();
        var subcommands = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options.Where(o => result == parsed.CommandResult || o.Recursive))
            {
                options.Add(option.Name);
                options.AddRange(option.Aliases);
            }

            // "wproj rescu stat" parses as "wproj stat" with "rescu" left over: the parents' commands count too.
            subcommands.AddRange(result.Command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)));
        }
        foreach (var token in parsed.UnmatchedTokens.Distinct(StringComparer.Ordinal))
        {
            var word = token.Split('=', 2)[0];
            if (Suggest.Closest(word, word.StartsWith('-') ? options : subcommands) is { } guess)
            {
                yield return $"'{word}': did you mean '{guess}'?";
            }
        }
    }

    /// <summary>
    /// <c>-w/--work-root</c> is accepted anywhere on the line, like a recursive option: given before (or
    /// between) the subcommand names — <c>wproj -w DIR data clean</c> — it is moved after them, where each
    /// command declares it. Every other token keeps its place.
    /// </summary>
    internal static string[] HoistWorkRoot(Command root, string[] args)
    {
        var command = root;
        var path = new List<string>();
        var moved = new List<string>();
        var i = 0;
        while (i < args.Length)
        {
            var token = args[i];
            if (token is "-w" or "--work-root")
            {
                moved.Add(token);
                if (i + 1 < args.Length)
                {
                    moved.Add(args[i + 1]);
                }

                i += 2;
                continue;
            }

            if (token.StartsWith("--work-root=", StringComparison.Ordinal) || token.StartsWith("-w:", StringComparison.Ordinal) || token.StartsWith("-w=", StringComparison.Ordinal))
            {
                moved.Add(token);
                i++;
                continue;
            }

            var sub = command.Subcommands.FirstOrDefault(c => c.Name == token || c.Aliases.Contains(token));
            if (sub is null)
            {
                break;
            }

            path.Add(token);
            command = sub;
            i++;
        }

        return moved.Count == 0 || path.Count == 0 ? args : [.. path, .. moved, .. args[Math.Min(i, args.Length)..]];
    }

    /// <summary>Runs a command body, mapping the exceptions that reach the top to exit codes.</summary>
    /// <param name="tool">The tool's name, first word of every message.</param>
    /// <param name="body">The command.</param>
    /// <param name="workRoot">The work root, to find the log file an unexpected error's details go to.</param>
    /// <param name="stderr">Where the one line goes; default <see cref="Console.Error"/>.</param>
    public static async Task<int> RunAsync(string tool, Func<Task<int>> body, string? workRoot = null, TextWriter? stderr = null)
    {
        var error = stderr ?? Console.Error;
        try
        {
            return await body();
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync($"{tool}: configuration error:");
            foreach (var problem in ex.Problems)
            {
                await error.WriteLineAsync($"  {problem}");
            }

            return ExitCodes.Config;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await error.WriteLineAsync($"{tool}: {OneLine(ex.Message)}");
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception ex)
        {
            // A bug: one line for the operator, the whole story in the log file.
            var where = RecordCrash(tool, workRoot, ex);
            await error.WriteLineAsync($"{tool}: unexpected error: {ex.GetType().Name}: {OneLine(ex.Message)}; {where}");
            return ExitCodes.RuntimeFailure;
        }
    }

    /// <summary>Appends the exception with its stack trace to the tool's log file; returns the line's tail naming it. Does not throw.</summary>
    internal static string RecordCrash(string tool, string? workRoot, Exception ex)
    {
        try
        {
            var root = new WorkRoot(workRoot ?? ".");
            string folder;
            try
            {
                folder = ProjectLoader.LoadEngine(root).Log.Path ?? root.LogsDir;
            }
            catch (Exception)
            {
                folder = root.LogsDir; // the configuration may be what is broken
            }

            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, tool + ".log");
            var stamp = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
            File.AppendAllText(path, $"{stamp} [FTL] {tool}: unexpected error{Environment.NewLine}{ex}{Environment.NewLine}");
            return $"details in {path}";
        }
        catch (Exception logError)
        {
            return $"details could not be written to the log ({OneLine(logError.Message)})";
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
