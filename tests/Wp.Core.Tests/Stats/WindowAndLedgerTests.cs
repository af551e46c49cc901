using Microsoft.Extensions.Time.Testing;
using Wp.Core.Stats;

namespace Wp.Core.Tests.Stats;

public sealed class WindowAndLedgerTests
{
    [Fact]
    public void A_window_table_shows_the_window_count_beside_the_running_total()
    {
        var clock = new FakeTimeProvider();
        var source = new Source();
        var reporter = new StatReporter([source], clock);

        source.Total = 100;
        clock.Advance(TimeSpan.FromSeconds(1));
        reporter.Window().Single().InWindow.Should().Be(100);
        source.Total = 130;
        clock.Advance(TimeSpan.FromSeconds(1));
        var line = reporter.Window().Single();

        line.InWindow.Should().Be(30);
        line.Row.Total.Should().Be(130);
        StatTable.Render("w", [line]).Should().Contain("in window");
        StatTable.Render("final", reporter.FinalTable()).Should().NotContain("in window");
    }

    [Fact]
    public void The_monitor_records_of_the_final_table_carry_its_numbers()
    {
        var clock = new FakeTimeProvider();
        var source = new Source { Total = 42 };
        var reporter = new StatReporter([source], clock, "wparse");
        var final = reporter.FinalTable();

        var record = reporter.MonitorRecords(final).Single();

        record.Fields.Single(f => f.Name == "total").Value.AsInt.Should().Be(42);
        record.Fields.Should().NotContain(f => f.Name == "in_window");
    }

    [Fact]
    public void The_ledger_shows_where_every_routed_record_went_and_what_is_pending()
    {
        var row = new SinkLedgerRow("s", "g", Routed: 100, Written: 60, Diverted: 30, ToError: 5, NotStored: 0);
        row.Pending.Should().Be(5);

        var text = SinkLedger.Render("title", [row]);
        text.Should().Contain("to rescue").And.Contain("pending");
        text.Split('\n')[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("s", "g", "100", "60", "30", "5", "0", "5");
    }

    private sealed class Source : IStatSource
    {
        public long Total { get; set; }

        public IEnumerable<StatRow> Snapshot()
        {
            yield return new StatRow("pick", "src", "x", Total, Total);
        }
    }
}
