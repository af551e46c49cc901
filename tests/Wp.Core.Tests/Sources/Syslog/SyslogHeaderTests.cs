using Wp.Core.Records;
using Wp.Core.Sources.Syslog;

namespace Wp.Core.Tests.Sources.Syslog;

public sealed class SyslogHeaderTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Dictionary<string, Value> Parse(string message, out string body)
    {
        SyslogHeader.TryParse(message, Now, out var fields, out body).Should().BeTrue();
        return fields.ToDictionary(f => f.Name, f => f.Value);
    }

    [Fact]
    public void An_rfc5424_header_becomes_typed_fields_and_the_rules_see_the_body()
    {
        var f = Parse("<165>1 2026-11-30T22:14:15.003+01:00 web01 nginx 4242 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\\]\"] GET /index 200", out var body);

        body.Should().Be("GET /index 200");
        f[SyslogHeader.Pri].Should().Be(Value.Int(165));
        f[SyslogHeader.Facility].Should().Be(Value.Int(20));
        f[SyslogHeader.Severity].Should().Be(Value.Int(5));
        f[SyslogHeader.Time].Kind.Should().Be(ValueKind.DateTime);
        f[SyslogHeader.Time].AsDateTime.Should().Be(new DateTime(2026, 11, 30, 21, 14, 15, 3));
        f[SyslogHeader.Host].ToString().Should().Be("web01");
        f[SyslogHeader.App].ToString().Should().Be("nginx");
        f[SyslogHeader.ProcId].ToString().Should().Be("4242");
        f[SyslogHeader.MsgId].ToString().Should().Be("ID47");
    }

    [Fact]
    public void Rfc5424_nil_values_give_no_field_and_a_bom_is_dropped()
    {
        var f = Parse("<13>1 - - app - - - \uFEFFhello", out var body);

        body.Should().Be("hello");
        f.Keys.Should().BeEquivalentTo(SyslogHeader.Pri, SyslogHeader.Facility, SyslogHeader.Severity, SyslogHeader.App);
    }

    [Fact]
    public void An_rfc3164_header_is_read_with_the_current_year()
    {
        var f = Parse("<34>Oct  5 22:14:15 mymachine su[123]: 'su root' failed for lonvick", out var body);

        body.Should().Be("'su root' failed for lonvick");
        f[SyslogHeader.Pri].Should().Be(Value.Int(34));
        f[SyslogHeader.Time].AsDateTime.Should().Be(new DateTime(2026, 10, 5, 22, 14, 15));
        f[SyslogHeader.Host].ToString().Should().Be("mymachine");
        f[SyslogHeader.App].ToString().Should().Be("su");
        f[SyslogHeader.ProcId].ToString().Should().Be("123");
    }

    [Fact]
    public void An_rfc3164_time_after_now_belongs_to_last_year()
    {
        var f = Parse("<34>Dec 31 23:59:59 host cron: job", out var body);

        SyslogHeader.TryParse("<34>Dec 31 23:59:59 host cron: job", new DateTime(2027, 1, 1, 0, 0, 5), out var fields, out _).Should().BeTrue();
        fields.Single(x => x.Name == SyslogHeader.Time).Value.AsDateTime.Year.Should().Be(2026);
        body.Should().Be("job");
        f[SyslogHeader.App].ToString().Should().Be("cron");
    }

    [Theory]
    [InlineData("no header at all")]
    [InlineData("<999>1 - - - - - - x")]
    [InlineData("<13>1 not-a-time host app - - - x")]
    [InlineData("<13>Foo  5 22:14:15 host app: x")]
    [InlineData("<13>1 - host app - - [unclosed")]
    [InlineData("")]
    public void A_header_that_does_not_parse_passes_the_line_whole(string message)
    {
        SyslogHeader.TryParse(message, Now, out var fields, out var body).Should().BeFalse();

        body.Should().Be(message);
        fields.Should().BeEmpty();
    }
}
