namespace Wp.Core.Sinks.Runtime;

/// <summary>
/// A sink of a <c>throw</c> group failed (SPEC §8.4): the engine stops, seals every rescue file,
/// flushes every sink and exits non-zero with this message, which names the sink and the error.
/// </summary>
internal sealed class SinkFailedException : Exception
{
    public SinkFailedException(string sinkName, string message, Exception? innerException)
        : base(message, innerException)
    {
        SinkName = sinkName;
    }

    public string SinkName { get; }
}
