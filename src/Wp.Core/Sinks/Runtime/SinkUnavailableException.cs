namespace Wp.Core.Sinks.Runtime;

/// <summary>
/// Thrown by a backend that knows it cannot take writes right now (a test_rescue down phase, a
/// refused connection). The sink runtime treats it like any other write failure; the type makes the
/// reason explicit in logs and tests, and may say when to try again (<see cref="RetryAfter"/>).
/// </summary>
internal sealed class SinkUnavailableException : Exception
{
    public SinkUnavailableException(string message)
        : base(message)
    {
    }

    public SinkUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// When the backend will be back, if it knows (test_rescue knows its schedule). Retries wait exactly
    /// this instead of their backoff: a doubling guess can step over a short up phase again and again.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The first <see cref="RetryAfter"/> in the chain of <paramref name="ex"/> (a failed flush wraps the backend's failure); null when none says.</summary>
    public static TimeSpan? RetryAfterOf(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SinkUnavailableException { RetryAfter: { } after })
            {
                return after;
            }
        }

        return null;
    }
}
