using Wp.Core.Records;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.TestRescue;

/// <summary>
/// The test_rescue backend (docs/configuration.md, test_rescue): wraps a file backend and makes it unavailable on a fixed
/// schedule — up for <c>up_ms</c>, down for <c>down_ms</c>, forever, starting up at construction.
/// While down, writes and probes throw <see cref="SinkUnavailableException"/> without
/// touching the inner backend. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TestRescueBackend : ISinkBackend
{
    private readonly ISinkBackend _inner;
    private readonly TimeProvider _time;
    private readonly long _start;

    public TestRescueBackend(ISinkBackend inner, TestRescueSchedule schedule, TimeProvider time)
    {
        _inner = inner;
        Schedule = schedule;
        _time = time;
        _start = time.GetTimestamp();
    }

    public TestRescueSchedule Schedule { get; }

    /// <summary>True during an up phase.</summary>
    public bool IsUp => Schedule.IsUpAt(_time.GetElapsedTime(_start), out _, out _);

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.WriteAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Passes through even while down: test_rescue fails writes and probes, and the inner file backend
    /// holds nothing unflushed (each write is one unbuffered OS write), so a simulated failing flush
    /// would only make the runtime divert records the file already has (duplicates after replay).
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public ValueTask SyncAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.SyncAsync(cancellationToken);
    }

    public ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.ProbeAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private void ThrowIfDown()
    {
        if (!Schedule.IsUpAt(_time.GetElapsedTime(_start), out var cycle, out var remaining))
        {
            throw new SinkUnavailableException(
                $"test_rescue: down (phase {cycle}: up {Schedule.UpMs} ms / down {Schedule.DownMs} ms; up again in {(long)remaining.TotalMilliseconds} ms)")
            {
                RetryAfter = remaining,
            };
        }
    }
}
