using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.Runtime;

/// <summary>
/// <see cref="SinkRuntimeOptions.DivertOnFailure"/> off is wprescue's replay mode (SPEC §9.6): a
/// failure surfaces to the caller, which still holds the records, and nothing is diverted.
/// </summary>
public sealed class SinkRuntimeReplayModeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TimerCountingTimeProvider _clock = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly LogCapture _log = new();
    private readonly FakeSinkBackend _primary;

    public SinkRuntimeReplayModeTests() => _primary = new FakeSinkBackend(_clock);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("fix_retry")]
    [InlineData("tolerant")]
    [InlineData("throw")]
    public async Task A_failed_write_throws_and_creates_no_rescue_file_whatever_the_strategy(string onError)
    {
        var strategy = onError switch { "tolerant" => OnError.Tolerant, "throw" => OnError.Throw, _ => OnError.FixRetry };
        var forwarder = new CollectingErrorForwarder();
        var runtime = NewRuntime(strategy, forwarder);
        _primary.Up = false;

        var act = async () => await runtime.WriteAsync(Batch(3), default);

        (await act.Should().ThrowAsync<SinkFailedException>()).Which.SinkName.Should().Be("s1");
        runtime.IsDiverting.Should().BeFalse();
        runtime.Stats.Failures.Should().Be(1);
        runtime.Stats.Diverted.Should().Be(0);
        forwarder.Received.Should().BeEmpty();
        _clock.HasPendingTimer.Should().BeFalse("no background probe runs in replay mode");

        await runtime.DisposeAsync();
        Directory.EnumerateFileSystemEntries(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_flush_throws_and_the_next_write_goes_to_the_primary_again()
    {
        await using var runtime = NewRuntime(OnError.FixRetry);
        await runtime.WriteAsync(Batch(2), default);
        _primary.Up = false;

        var flush = async () => await runtime.FlushAsync(default);
        await flush.Should().ThrowAsync<SinkFailedException>().WithMessage("sink s1 failed: flush failed*");

        _primary.Up = true;
        (await runtime.WriteAsync(Batch(1), default)).Should().Be(SinkWriteOutcome.Delivered);
        await runtime.FlushAsync(default);
        _primary.Written.Should().HaveCount(3);
        Directory.EnumerateFileSystemEntries(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void A_tolerant_sink_in_replay_mode_needs_no_error_group()
    {
        var act = () => NewRuntime(OnError.Tolerant, forwarder: null);

        act.Should().NotThrow();
    }

    private SinkRuntime NewRuntime(OnError onError, IErrorGroupForwarder? forwarder = null) =>
        new(
            new SinkRuntimeOptions
            {
                SinkName = "s1",
                OnError = onError,
                RescueRoot = _dir.Path,
                DivertOnFailure = false,
            },
            _primary,
            _clock,
            _log.Logger,
            forwarder);

    private static List<Record> Batch(int count)
    {
        var batch = new List<Record>(count);
        for (var i = 0; i < count; i++)
        {
            var record = new Record();
            record.Add("n", Value.Int(i));
            batch.Add(record);
        }

        return batch;
    }
}
