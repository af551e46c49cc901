using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Records.Formatting.FormattingSamples;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class ProtoTextFormatterTests
{
    private static string Proto(Record record) => Format(ProtoTextFormatter.Instance, record);

    [Fact]
    public void Every_kind_is_printed_with_strings_ips_and_datetimes_quoted()
    {
        Proto(EveryKind()).Should().Be("{ s: \"a b\" i: -42 f: 1.5 b: true ip: \"::1\" t: \"2024-01-02 03:04:05\" }\n");
    }

    [Fact]
    public void Hidden_fields_are_skipped_and_order_is_kept()
    {
        Proto(WithHiddenFields()).Should().Be("{ a: 1 b: 2 c: 3 }\n");
    }

    [Fact]
    public void Numbers_and_bools_are_bare()
    {
        var record = new Record();
        record.Add("min", Value.Int(long.MinValue));
        record.Add("f", Value.Float(-2.25));
        record.Add("nan", Value.Float(double.NaN));
        record.Add("no", Value.Bool(false));

        Proto(record).Should().Be("{ min: -9223372036854775808 f: -2.25 nan: NaN no: false }\n");
    }

    [Fact]
    public void Strings_are_escaped_like_kv()
    {
        Proto(Single("msg", Value.String(Tricky)))
            .Should().Be("{ msg: \"he said \\\"hi\\\" \\\\ ok\\nnext\\r\\tend \\x01 é 中 😀\" }\n");
    }

    [Fact]
    public void A_raw_record_is_written_as_its_text()
    {
        Proto(Record.FromRaw("wpl:/sys/a,residue: tail")).Should().Be("wpl:/sys/a,residue: tail\n");
    }

    [Fact]
    public void A_record_without_visible_fields_is_an_empty_message()
    {
        Proto(new Record()).Should().Be("{ }\n");
    }

    [Fact]
    public void An_nginx_record_prints_exactly()
    {
        Proto(Nginx()).Should().Be(
            "{ sip: \"192.168.1.2\" time_clf: \"2019-08-06 12:12:19\" http_request: \"GET /nginx-logo.png HTTP/1.1\" " +
            "http_status: 200 digit: 368 chars: \"http://119.122.1.4/\" " +
            "http_agent: \"" + NginxAgent + "\" wp_src_key: \"file_src\" }\n");
    }
}
