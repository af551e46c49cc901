namespace Wp.Core.Sources.Net;

/// <summary>Ends a network source in batch mode: when the <c>--max-line</c> budget is spent or after <c>idle_exit_sec</c> of silence.</summary>
internal static class NetWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs until <paramref name="end"/> is cancelled, cancelling it itself when the source should end.</summary>
    /// <param name="onTick">Called every tick (the UDP source refreshes its kernel drop count).</param>
    public static async Task RunAsync(string key, SourceRun run, NetActivity activity, int idleExitSec, CancellationTokenSource end, Action? onTick)
    {
        var idle = TimeSpan.FromSeconds(idleExitSec);
        try
        {
            while (!end.IsCancellationRequested)
            {
                await Task.Delay(Tick, run.Time, end.Token);
                onTick?.Invoke();
                if (run.Budget.IsExhausted)
                {
                    run.Log.Information("source {Key}: --max-line reached", key);
                    await end.CancelAsync();
                }
                else if (!run.Follow && activity.IsIdleFor(idle))
                {
                    run.Log.Information("source {Key}: idle for {Seconds} s (idle_exit_sec): ending the batch", key, idleExitSec);
                    await end.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
    }
}
