namespace Wp.Core.Sinks.Runtime;

/// <summary>
/// Thrown by a backend that knows it cannot take writes right now (a test_rescue down phase, a
/// refused connection). The sink runtime treats it like any other write failure; the type only
/// makes the reason explicit in logs and tests.
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
}
