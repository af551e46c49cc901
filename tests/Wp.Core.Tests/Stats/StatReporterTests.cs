using Microsoft.Extensions.Time.Testing;
using Wp.Core.Stats;

namespace Wp.Core.Tests.Stats;

public sealed class StatReporterTests
{
    [Fact]
    public void Each_window_reports_the_speed_since_the_previous_window()
    {
        var clock = new FakeTimeProvider();
        var source = new CountingSource();
        var reporter = new StatReporter([source], clock);

        source.Total = 100;
        clock.Advance(TimeSpan.FromSeconds(2));
        reporter.Window().Single().Speed.Should().Be(50);
        source.Total = 400;
        clock.Advance(TimeSpan.FromSeconds(1));
        reporter.Window().Single().Speed.Should().Be(300);
    }

    [Fact]
    public void The_final_table_averages_over_the_whole_run()
    {
        var clock = new FakeTimeProvider();
        var source = new CountingSource();
        var reporter = new StatReporter([source], clock);
        source.Total = 1000;
        clock.Advance(TimeSpan.FromSeconds(4));

        reporter.FinalTable().Single().Speed.Should().Be(250);
    }

    [Fact]
    public void The_table_has_a_header_and_right_aligned_numbers()
    {
        var text = StatTable.Render("title", [new StatLine(new StatRow("sink", "benchmark_file_sink", "/x/benchmark.dat", 6667, 6000), 1234.4)]);

        text.Should().Contain("stage").And.Contain("rate %").And.Contain("6,667").And.Contain("90.0").And.Contain("1,234");
        text.Split('\n')[0].Should().Be("title");
    }

    private sealed class CountingSource : IStatSource
    {
        public long Total { get; set; }

        public IEnumerable<StatRow> Snapshot()
        {
            yield return new StatRow("pick", "src", "file", Total, Total);
        }
    }
}
