using System.Text;
using Microsoft.Extensions.Time.Testing;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Sinks.TestRescue;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.TestRescue;

public class TestRescueBackendTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Alternates_up_and_down_forever_starting_up()
    {
        var inner = new FakeSinkBackend(_clock);
        var backend = new TestRescueBackend(inner, new TestRescueSchedule(2000, 1000), _clock);
        var timeline = new List<(int At, bool Up)>();

        foreach (var step in new[] { 0, 1999, 1, 999, 1, 1999, 1, 999, 1 })
        {
            _clock.Advance(TimeSpan.FromMilliseconds(step));
            timeline.Add(((int)(_clock.GetUtcNow() - _clock.Start).TotalMilliseconds, backend.IsUp));
        }

        timeline.Should().Equal(
            (0, true), (1999, true), (2000, false), (2999, false), (3000, true),
            (4999, true), (5000, false), (5999, false), (6000, true));
        await backend.DisposeAsync();
        inner.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task While_down_writes_and_probes_fail_without_reaching_the_inner_backend_and_flushes_pass_through()
    {
        var inner = new FakeSinkBackend(_clock);
        var backend = new TestRescueBackend(inner, new TestRescueSchedule(100, 300), _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(150));

        var write = async () => await backend.WriteAsync([Row()], default);
        var flush = async () => await backend.FlushAsync(default);
        var probe = async () => await backend.ProbeAsync(default);

        (await write.Should().ThrowAsync<SinkUnavailableException>()).Which.Message
            .Should().StartWith("test_rescue: down (phase 0").And.Contain("up again in 250 ms");
        (await probe.Should().ThrowAsync<SinkUnavailableException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(250));
        await flush.Should().NotThrowAsync("the inner file backend holds nothing unflushed");
        await probe.Should().ThrowAsync<SinkUnavailableException>();
        inner.Written.Should().BeEmpty();
        inner.ProbeTimes.Should().BeEmpty();

        _clock.Advance(TimeSpan.FromMilliseconds(250));
        await backend.WriteAsync([Row()], default);
        await backend.FlushAsync(default);
        await backend.ProbeAsync(default);
        inner.Written.Should().HaveCount(1);
        inner.Flushes.Should().Be(2);
    }

    [Fact]
    public void Always_down_and_always_up_schedules()
    {
        var down = new TestRescueBackend(new FakeSinkBackend(), new TestRescueSchedule(0, 10), _clock);
        var up = new TestRescueBackend(new FakeSinkBackend(), new TestRescueSchedule(10, 0), _clock);

        for (var i = 0; i < 25; i++)
        {
            down.IsUp.Should().BeFalse();
            up.IsUp.Should().BeTrue();
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void Schedule_keeps_the_configured_phases_and_the_environment_wins()
    {
        var environment = new Dictionary<string, string> { [TestRescueSchedule.UpEnvironmentVariable] = "50" };

        TestRescueSchedule.From(700, 300, _ => null).Should().Be(new TestRescueSchedule(700, 300));
        TestRescueSchedule.From(700, 300, environment.GetValueOrDefault).Should().Be(new TestRescueSchedule(50, 300));

        environment[TestRescueSchedule.DownEnvironmentVariable] = "25";
        TestRescueSchedule.From(700, 300, environment.GetValueOrDefault).Should().Be(new TestRescueSchedule(50, 25));
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("-1")]
    public void Schedule_rejects_a_bad_environment_value_as_a_configuration_error(string down)
    {
        var act = () => TestRescueSchedule.From(10, 10, name => name == TestRescueSchedule.DownEnvironmentVariable ? down : null);

        act.Should().Throw<ConfigException>().WithMessage("*WP_TEST_RESCUE_DOWN_MS*");
    }

    [Fact]
    public async Task Under_a_sink_runtime_every_record_ends_up_in_the_file_sink_or_a_rescue_file()
    {
        using var dir = new TempDir();
        var inner = new FakeSinkBackend(_clock);
        var backend = new TestRescueBackend(inner, new TestRescueSchedule(1000, 1000), _clock);
        var log = new LogCapture();
        var runtime = new SinkRuntime(
            new SinkRuntimeOptions { SinkName = "benchmark_file_sink", RescueRoot = dir.Path },
            backend,
            _clock,
            log.Logger);

        var routed = 0;
        for (var i = 0; i < 100; i++)
        {
            await runtime.WriteAsync([Row(), Row()], default);
            routed += 2;
            _clock.Advance(TimeSpan.FromMilliseconds(100)); // 10 s across five outages; probes fire as time passes
        }

        await runtime.DisposeAsync();

        var files = dir.FileNames();
        files.Should().OnlyContain(f => f.StartsWith("benchmark_file_sink-", StringComparison.Ordinal) && f.EndsWith(".dat", StringComparison.Ordinal));
        files.Length.Should().BeGreaterThanOrEqualTo(2);
        var inRescue = files.Sum(f => File.ReadAllLines(dir.Combine(f)).Length);
        (inner.Written.Count + inRescue).Should().Be(routed);
        files.SelectMany(f => File.ReadAllLines(dir.Combine(f)))
            .All(line => RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out _, out _))
            .Should().BeTrue("every rescue line is an entry");
        log.Messages().Should().Contain(m => m.Contains("reconnect success"));
    }

    [Fact]
    public async Task Under_a_sink_runtime_the_probe_comes_when_the_down_phase_ends_so_every_outage_gets_its_own_rescue_file()
    {
        // Up 300 ms, down 1000 ms. A doubling probe (100, 200, 400, 800 ms …) would step over the short up
        // phases; the backend says when it is back, and the runtime probes exactly then.
        using var dir = new TempDir();
        var clock = new TimerCountingTimeProvider(_clock.GetUtcNow());
        var inner = new FakeSinkBackend(clock);
        var runtime = new SinkRuntime(
            new SinkRuntimeOptions { SinkName = "s", RescueRoot = dir.Path },
            new TestRescueBackend(inner, new TestRescueSchedule(300, 1000), clock),
            clock,
            new LogCapture().Logger);

        for (var outage = 0; outage < 3; outage++)
        {
            (await runtime.WriteAsync([Row()], default)).Should().Be(SinkWriteOutcome.Delivered);
            clock.Advance(TimeSpan.FromMilliseconds(400)); // 100 ms into the down phase
            (await runtime.WriteAsync([Row()], default)).Should().Be(SinkWriteOutcome.Diverted);

            (await clock.NextTimerAsync()).Should().Be(TimeSpan.FromMilliseconds(900), "the rest of the down phase");
            clock.Advance(TimeSpan.FromMilliseconds(900));
            await runtime.ProbeTask.WaitAsync(TimeSpan.FromSeconds(10));
            runtime.IsDiverting.Should().BeFalse();
        }

        await runtime.DisposeAsync();
        inner.Written.Should().HaveCount(3);
        dir.FileNames().Should().HaveCount(3).And.OnlyContain(f => f.EndsWith(".dat", StringComparison.Ordinal));
    }

    private static Record Row()
    {
        var record = new Record();
        record.Add("x", Value.Int(1));
        return record;
    }
}
