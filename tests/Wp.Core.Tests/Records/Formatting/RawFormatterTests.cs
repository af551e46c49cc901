using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Records.Formatting.FormattingSamples;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class RawFormatterTests
{
    private static string Raw(Record record) => Format(RawFormatter.Instance, record);

    [Fact]
    public void Every_kind_is_joined_by_single_spaces_and_nothing_is_quoted()
    {
        Raw(EveryKind()).Should().Be("a b -42 1.5 true ::1 2024-01-02 03:04:05\n");
    }

    [Fact]
    public void Hidden_fields_are_skipped_and_order_is_kept()
    {
        Raw(WithHiddenFields()).Should().Be("1 2 3\n");
    }

    [Fact]
    public void Strings_are_written_verbatim_without_escaping()
    {
        Raw(Single("msg", Value.String("say \"hi\" \\ é 中 😀"))).Should().Be("say \"hi\" \\ é 中 😀\n");
    }

    [Fact]
    public void Floats_and_bools_use_the_invariant_forms()
    {
        var record = new Record();
        record.Add("f", Value.Float(0.1));
        record.Add("inf", Value.Float(double.NegativeInfinity));
        record.Add("no", Value.Bool(false));

        Raw(record).Should().Be("0.1 -Infinity false\n");
    }

    [Fact]
    public void A_raw_record_is_written_as_its_text()
    {
        Raw(Record.FromRaw("  as-is  ")).Should().Be("  as-is  \n");
    }

    [Fact]
    public void A_record_without_visible_fields_is_an_empty_line()
    {
        Raw(new Record()).Should().Be("\n");
    }

    [Fact]
    public void An_nginx_record_prints_exactly()
    {
        Raw(Nginx()).Should().Be(
            "192.168.1.2 2019-08-06 12:12:19 GET /nginx-logo.png HTTP/1.1 200 368 http://119.122.1.4/ " +
            NginxAgent + " file_src\n");
    }
}
