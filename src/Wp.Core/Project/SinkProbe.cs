using Wp.Core.Config;
using Wp.Core.Sinks;

namespace Wp.Core.Project;

/// <summary>
/// <c>wproj check --probe</c> (SPEC §11): connects to every network or database sink with its
/// backend's own probe (<c>SELECT 1</c>) and reports reachable or not with the reason. What is shown
/// is the sink's target (server, database, table) and the driver's message: never a password.
/// </summary>
internal static class SinkProbe
{
    /// <summary>How long one probe may take. Default 5 s.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public static void Run(ProjectConfig config, CheckReport report, TimeProvider time)
    {
        foreach (var sink in config.AllSinks.Where(s => s.Settings?.IsRemote == true))
        {
            var (ok, detail) = ProbeAsync(sink, time).GetAwaiter().GetResult();
            report.Add($"probe sink {sink.Name}", ok ? CheckResult.Ok : CheckResult.Fail, detail);
        }
    }

    private static async Task<(bool Ok, string Detail)> ProbeAsync(SinkOptions sink, TimeProvider time)
    {
        using var cts = new CancellationTokenSource(Timeout, time);
        try
        {
            await using var backend = sink.Settings!.Create(time);
            await backend.ProbeAsync(cts.Token);
            return (true, $"reachable: {sink.Target}");
        }
        catch (OperationCanceledException)
        {
            return (false, $"unreachable: {sink.Target}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex)
        {
            return (false, $"unreachable: {sink.Target}: {ex.Message}");
        }
    }
}
