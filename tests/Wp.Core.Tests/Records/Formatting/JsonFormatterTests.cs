using System.Text.Json;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Records.Formatting.FormattingSamples;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class JsonFormatterTests
{
    private static string Json(Record record) => Format(JsonFormatter.Instance, record);

    /// <summary>Parses one output line, checking it is a single newline-terminated JSON object.</summary>
    private static JsonElement ParseLine(string line)
    {
        line.Should().EndWith("\n");
        line.IndexOf('\n', StringComparison.Ordinal).Should().Be(line.Length - 1, "a record is one line");
        using var document = JsonDocument.Parse(line);
        document.RootElement.ValueKind.Should().Be(JsonValueKind.Object);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Every_kind_is_printed_with_ips_and_datetimes_as_strings()
    {
        Json(EveryKind()).Should().Be("{\"s\":\"a b\",\"i\":-42,\"f\":1.5,\"b\":true,\"ip\":\"::1\",\"t\":\"2024-01-02 03:04:05\"}\n");
    }

    [Fact]
    public void Every_kind_parses_back_to_the_same_values_in_the_same_order()
    {
        var root = ParseLine(Json(EveryKind()));

        root.EnumerateObject().Select(p => p.Name).Should().Equal("s", "i", "f", "b", "ip", "t");
        root.GetProperty("s").GetString().Should().Be("a b");
        root.GetProperty("i").GetInt64().Should().Be(-42);
        root.GetProperty("f").GetDouble().Should().Be(1.5);
        root.GetProperty("b").GetBoolean().Should().BeTrue();
        root.GetProperty("ip").GetString().Should().Be("::1");
        root.GetProperty("t").GetString().Should().Be("2024-01-02 03:04:05");
    }

    [Fact]
    public void Hidden_fields_are_skipped_and_order_is_kept()
    {
        Json(WithHiddenFields()).Should().Be("{\"a\":1,\"b\":2,\"c\":3}\n");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(-0.0)]
    [InlineData(1e20)]
    [InlineData(1e-7)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(123456789.0)]
    public void Finite_floats_are_valid_json_numbers_that_round_trip(double value)
    {
        var root = ParseLine(Json(Single("f", Value.Float(value))));

        root.GetProperty("f").ValueKind.Should().Be(JsonValueKind.Number);
        root.GetProperty("f").GetDouble().Should().Be(value);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_floats_are_null_because_json_has_no_such_numbers(double value)
    {
        Json(Single("f", Value.Float(value))).Should().Be("{\"f\":null}\n");
    }

    [Fact]
    public void Integers_keep_their_full_range()
    {
        var record = new Record();
        record.Add("min", Value.Int(long.MinValue));
        record.Add("max", Value.Int(long.MaxValue));
        var root = ParseLine(Json(record));

        root.GetProperty("min").GetInt64().Should().Be(long.MinValue);
        root.GetProperty("max").GetInt64().Should().Be(long.MaxValue);
    }

    [Fact]
    public void Strings_are_escaped_and_parse_back_unchanged()
    {
        var line = Json(Single("msg", Value.String(Tricky)));

        line.Should().Be("{\"msg\":\"he said \\\"hi\\\" \\\\ ok\\nnext\\r\\tend \\u0001 é 中 😀\"}\n");
        ParseLine(line).GetProperty("msg").GetString().Should().Be(Tricky);
    }

    [Fact]
    public void Every_control_char_is_escaped_and_parses_back_unchanged()
    {
        var controls = new string(Enumerable.Range(0, 0x20).Select(c => (char)c).ToArray()) + "\u007f";
        var line = Json(Single("c", Value.String(controls)));

        line.Should().Contain("\\u0000").And.Contain("\\b").And.Contain("\\f").And.Contain("\\u001F");
        ParseLine(line).GetProperty("c").GetString().Should().Be(controls);
    }

    [Fact]
    public void Field_names_are_escaped_too()
    {
        var line = Json(Single("a\"b\\c", Value.Int(1)));

        line.Should().Be("{\"a\\\"b\\\\c\":1}\n");
        ParseLine(line).GetProperty("a\"b\\c").GetInt64().Should().Be(1);
    }

    [Fact]
    public void A_raw_record_is_written_as_its_text()
    {
        Json(Record.FromRaw("plain text, not json")).Should().Be("plain text, not json\n");
    }

    [Fact]
    public void A_record_without_visible_fields_is_an_empty_object()
    {
        Json(new Record()).Should().Be("{}\n");
        ParseLine(Json(Single("_x", Value.Int(1)))).EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public void An_nginx_record_prints_exactly_and_parses_back()
    {
        var line = Json(Nginx());

        line.Should().Be(
            "{\"sip\":\"192.168.1.2\",\"time_clf\":\"2019-08-06 12:12:19\",\"http_request\":\"GET /nginx-logo.png HTTP/1.1\"," +
            "\"http_status\":200,\"digit\":368,\"chars\":\"http://119.122.1.4/\"," +
            "\"http_agent\":\"" + NginxAgent + "\",\"wp_src_key\":\"file_src\"}\n");
        var root = ParseLine(line);
        root.GetProperty("http_agent").GetString().Should().Be(NginxAgent);
        root.GetProperty("http_status").GetInt32().Should().Be(200);
    }
}
