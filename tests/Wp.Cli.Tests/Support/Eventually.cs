namespace Wp.Cli.Tests.Support;

/// <summary>Polls a condition about a running process; fails with its output when time runs out.</summary>
internal static class Eventually
{
    public static Task Async(Func<bool> condition, ToolProcess process, TimeSpan? timeout = null) =>
        Async(() => Task.FromResult(condition()), process, timeout);

    /// <summary>As above, for a condition that has to ask something (a server) itself.</summary>
    public static async Task Async(Func<Task<bool>> condition, ToolProcess process, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met in time\nstdout:\n{process.StdOut}\nstderr:\n{process.StdErr}");
            }

            await Task.Delay(50);
        }
    }
}
