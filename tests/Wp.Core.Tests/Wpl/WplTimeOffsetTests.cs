using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Wpl.WplTestRules;

namespace Wp.Core.Tests.Wpl;

/// <summary>SPEC §5.4: a time written with an offset keeps it; text formats still print the wall clock as written.</summary>
public class WplTimeOffsetTests
{
    [Theory]
    [InlineData("(time/clf)", "06/Aug/2019:12:12:19 +0800", 480)]
    [InlineData("(time/clf)", "06/Aug/2019:12:12:19 -0230", -150)]
    [InlineData("(time)", "2019-08-06T12:12:19+08:00", 480)]
    [InlineData("(time)", "2019-08-06T12:12:19Z", 0)]
    [InlineData("(time)", "06/Aug/2019:12:12:19 +0800", 480)]
    public void The_offset_is_kept_and_the_instant_follows_from_it(string rule, string text, int offsetMinutes)
    {
        var value = Parsed(rule, text)[0].Value;

        value.Offset.Should().Be(TimeSpan.FromMinutes(offsetMinutes));
        value.AsDateTime.Should().Be(new DateTime(2019, 8, 6, 12, 12, 19));
        value.AsUtcDateTime.Should().Be(new DateTime(2019, 8, 6, 12, 12, 19, DateTimeKind.Utc).AddMinutes(-offsetMinutes));
        value.ToString().Should().Be("2019-08-06 12:12:19");
    }

    [Fact]
    public void A_time_without_offset_has_none_and_is_taken_as_utc()
    {
        var value = Parsed("(time)", "2019-08-06 12:12:19")[0].Value;

        value.Offset.Should().BeNull();
        value.AsUtcDateTime.Should().Be(new DateTime(2019, 8, 6, 12, 12, 19, DateTimeKind.Utc));
    }

    [Fact]
    public void Text_formats_print_the_wall_clock_as_written()
    {
        var record = Parsed("(time/clf:t)", "06/Aug/2019:12:12:19 +0800");
        var buffer = new TextBuffer();

        RecordFormatters.ForName("json").Format(record, buffer);

        buffer.ToString().Should().Be("{\"t\":\"2019-08-06 12:12:19\"}\n");
    }
}
