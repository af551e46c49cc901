using System.Threading.Channels;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Support;

/// <summary>
/// An in-memory backend whose health the test switches with <see cref="Up"/>. It records what it
/// received, and when each probe ran (by the injected clock); tests await probes through
/// <see cref="NextProbeAsync"/> instead of sleeping.
/// </summary>
internal sealed class FakeSinkBackend : ISinkBackend
{
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly List<Record> _written = [];
    private readonly List<DateTimeOffset> _probeTimes = [];
    private readonly Channel<DateTimeOffset> _probes = Channel.CreateUnbounded<DateTimeOffset>();
    private volatile bool _up = true;

    public FakeSinkBackend(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>While false, writes, flushes and probes throw <see cref="SinkUnavailableException"/>.</summary>
    public bool Up
    {
        get => _up;
        set => _up = value;
    }

    /// <summary>When set, writes wait for this task before answering (a hanging backend).</summary>
    public Task? WriteBlocker { get; set; }

    /// <summary>When set, probes wait for this task before answering (a hanging health check).</summary>
    public Task? ProbeBlocker { get; set; }

    public int Flushes { get; private set; }

    public int FailedWrites { get; private set; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<Record> Written
    {
        get
        {
            lock (_lock)
            {
                return [.. _written];
            }
        }
    }

    public IReadOnlyList<DateTimeOffset> ProbeTimes
    {
        get
        {
            lock (_lock)
            {
                return [.. _probeTimes];
            }
        }
    }

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
        WriteBlocker is { } blocker ? WaitThenWriteAsync(blocker, batch, cancellationToken) : WriteNow(batch);

    private async ValueTask WaitThenWriteAsync(Task blocker, IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        await blocker.WaitAsync(cancellationToken);
        await WriteNow(batch);
    }

    private ValueTask WriteNow(IReadOnlyList<Record> batch)
    {
        if (!_up)
        {
            FailedWrites++;
            throw new SinkUnavailableException("fake: connection refused");
        }

        lock (_lock)
        {
            _written.AddRange(batch);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_up)
        {
            throw new SinkUnavailableException("fake: flush refused");
        }

        Flushes++;
        return ValueTask.CompletedTask;
    }

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _probeTimes.Add(now);
        }

        _probes.Writer.TryWrite(now);
        if (ProbeBlocker is { } blocker)
        {
            await blocker.WaitAsync(cancellationToken);
        }

        if (!_up)
        {
            throw new SinkUnavailableException("fake: still down");
        }
    }

    /// <summary>Waits (bounded, as a hang guard only) for the next probe and returns its clock time.</summary>
    public async Task<DateTimeOffset> NextProbeAsync() =>
        await _probes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
