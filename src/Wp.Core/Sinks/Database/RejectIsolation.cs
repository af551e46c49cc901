namespace Wp.Core.Sinks.Database;

/// <summary>
/// Finds the rows a database refuses inside one batch by bisection: try the whole slice; when it
/// fails for its data, try each half; a single failing row is rejected with the database's message.
/// With k bad rows among n this costs O(k·log n) attempts, and a batch without bad rows costs one.
/// Each attempt is made by the caller inside one transaction (a savepoint per attempt where the
/// database has them), so the good rows are committed together or not at all.
/// </summary>
internal static class RejectIsolation
{
    /// <param name="count">Rows in the batch.</param>
    /// <param name="tryWrite">Writes rows [start, start+length); returns null on success, or the database's message for a data error. Any other failure throws.</param>
    /// <param name="reject">Called for each row the database refused, with its message.</param>
    public static async Task RunAsync(int count, Func<int, int, Task<string?>> tryWrite, Action<int, string> reject)
    {
        if (count == 0)
        {
            return;
        }

        await SliceAsync(0, count);

        async Task SliceAsync(int start, int length)
        {
            var error = await tryWrite(start, length);
            if (error is null)
            {
                return;
            }

            if (length == 1)
            {
                reject(start, error);
                return;
            }

            var half = length / 2;
            await SliceAsync(start, half);
            await SliceAsync(start + half, length - half);
        }
    }
}
