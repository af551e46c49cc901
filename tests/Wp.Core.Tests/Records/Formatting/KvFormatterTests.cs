using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Records.Formatting.FormattingSamples;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class KvFormatterTests
{
    private static string Kv(Record record) => Format(KvFormatter.Instance, record);

    [Fact]
    public void Every_kind_is_printed_with_only_strings_quoted()
    {
        Kv(EveryKind()).Should().Be("s: \"a b\", i: -42, f: 1.5, b: true, ip: ::1, t: 2024-01-02 03:04:05\n");
    }

    [Fact]
    public void Hidden_fields_are_skipped_and_order_is_kept()
    {
        Kv(WithHiddenFields()).Should().Be("a: 1, b: 2, c: 3\n");
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e20, "1E+20")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Floats_are_printed_in_invariant_round_trip_form(double value, string expected)
    {
        Kv(Single("f", Value.Float(value))).Should().Be("f: " + expected + "\n");
    }

    [Fact]
    public void Integers_print_their_full_range_and_false_is_lower_case()
    {
        var record = new Record();
        record.Add("min", Value.Int(long.MinValue));
        record.Add("max", Value.Int(long.MaxValue));
        record.Add("no", Value.Bool(false));

        Kv(record).Should().Be("min: -9223372036854775808, max: 9223372036854775807, no: false\n");
    }

    [Fact]
    public void Quotes_backslashes_and_control_chars_are_escaped_so_the_record_stays_on_one_line()
    {
        Kv(Single("msg", Value.String(Tricky)))
            .Should().Be("msg: \"he said \\\"hi\\\" \\\\ ok\\nnext\\r\\tend \\x01 é 中 😀\"\n");
    }

    [Fact]
    public void An_empty_string_is_printed_as_empty_quotes()
    {
        Kv(Single("e", Value.String(""))).Should().Be("e: \"\"\n");
    }

    [Fact]
    public void A_raw_record_is_written_as_its_text()
    {
        Kv(Record.FromRaw("not \"parsed\", at all")).Should().Be("not \"parsed\", at all\n");
    }

    [Fact]
    public void A_record_without_visible_fields_is_an_empty_line()
    {
        Kv(new Record()).Should().Be("\n");
        Kv(Single("_x", Value.Int(1))).Should().Be("\n");
    }

    [Fact]
    public void An_nginx_record_prints_exactly()
    {
        Kv(Nginx()).Should().Be(
            "sip: 192.168.1.2, time_clf: 2019-08-06 12:12:19, http_request: \"GET /nginx-logo.png HTTP/1.1\", " +
            "http_status: 200, digit: 368, chars: \"http://119.122.1.4/\", " +
            "http_agent: \"" + NginxAgent + "\", wp_src_key: \"file_src\"\n");
    }
}
