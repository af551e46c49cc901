using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Wp.Core.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer created on it (each
/// <c>Task.Delay(…, timeProvider)</c>), so a test advances time only once a delay is scheduled.
/// </summary>
internal sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public TimerCountingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (bounded, as a hang guard only) for the next timer and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>True when a timer was created and not yet taken by <see cref="NextTimerAsync"/>.</summary>
    public bool HasPendingTimer => _timers.Reader.Count > 0;
}
