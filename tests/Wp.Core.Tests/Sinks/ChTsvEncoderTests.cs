using System.Text;
using Wp.Core.Records;
using Wp.Core.Sinks.ClickHouse;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks;

/// <summary>TabSeparated rows as ClickHouse reads them (the e2e tests load them into a real server).</summary>
public sealed class ChTsvEncoderTests
{
    [Fact]
    public void Values_are_text_fields_with_escapes_utc_times_and_the_column_kind_decides_the_form()
    {
        var record = new Record();
        record.Add("s", Value.String("a\tb\nc\\d\re\0f é"));
        record.Add("n", Value.Int(-42));
        record.Add("t", Value.DateTime(new DateTime(2019, 8, 6, 12, 12, 19), TimeSpan.FromHours(8)));
        record.Add("f", Value.Float(0.1));
        record.Add("nan", Value.Float(double.NaN));
        record.Add("yes", Value.Bool(true));
        record.Add("ip", Value.Ip("10.0.1.2"));

        Encode(record, ("s", "String"), ("n", "Int64"), ("t", "DateTime('UTC')"), ("f", "Float64"), ("nan", "Float64"), ("yes", "UInt8"), ("ip", "String"), ("n", "String"))
            .Should().Be("a\\tb\\nc\\\\d\\re\\0f é\t-42\t2019-08-06 04:12:19\t0.1\tnan\t1\t10.0.1.2\t-42\n");
    }

    [Fact]
    public void A_missing_field_is_null_in_a_nullable_column_and_the_types_default_elsewhere()
    {
        Encode(new Record(), ("a", "Nullable(Int64)"), ("b", "Int64"), ("c", "String"), ("d", "DateTime"), ("e", "Nullable(String)"))
            .Should().Be("\\N\t0\t\t0000-00-00 00:00:00\t\\N\n");
    }

    [Fact]
    public void A_value_its_column_cannot_take_rejects_the_record_before_sending()
    {
        var word = new Record();
        word.Add("n", Value.String("abc"));
        var number = new Record();
        number.Add("n", Value.String("7"));
        var encoder = new ChTsvEncoder();

        encoder.Encode([word, number], [Column("n", "Nullable(Int64)")], "table t");

        encoder.Records.Should().Equal(number);
        Encoding.UTF8.GetString(encoder.Rows(0, 1).Span).Should().Be("7\n");
        encoder.Rejected.Should().ContainSingle().Which.Reason.Should().Be("table t: column 'n' (nullable(int64)) cannot take a string value");
    }

    private static ChColumn Column(string name, string type) => new(name, type, ClickHouseSinkBackend.KindOf(type));

    private static string Encode(Record record, params (string Name, string Type)[] columns)
    {
        var encoder = new ChTsvEncoder();
        encoder.Encode([record], [.. columns.Select(c => Column(c.Name, c.Type))], "table t");
        encoder.Rejected.Should().BeEmpty();
        return Encoding.UTF8.GetString(encoder.Rows(0, 1).Span);
    }
}
