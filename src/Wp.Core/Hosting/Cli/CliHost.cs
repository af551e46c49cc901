using System.CommandLine;
using Wp.Core.Config;

namespace Wp.Core.Hosting.Cli;

/// <summary>
/// Runs a tool's root command with the suite's exit-code contract (SPEC §13): usage errors exit 2,
/// configuration errors 3, unexpected failures 1 — each with one clear line on stderr.
/// </summary>
internal static class CliHost
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"{root.Name}: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Try '{root.Name} --help'.");
            return ExitCodes.Usage;
        }

        // Signals are handled by ShutdownSignals inside long-running commands, not by the parser's host.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Runs a command body, mapping the exceptions that reach the top to exit codes.</summary>
    public static async Task<int> RunAsync(string tool, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"{tool}: configuration error:");
            foreach (var problem in ex.Problems)
            {
                await Console.Error.WriteLineAsync($"  {problem}");
            }

            return ExitCodes.Config;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{tool}: {ex.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }
}
