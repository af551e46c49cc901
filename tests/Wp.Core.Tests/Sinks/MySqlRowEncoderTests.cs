using Wp.Core.Records;
using Wp.Core.Sinks.MySql;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks;

/// <summary>Rows of a multi-row INSERT as SQL literals (the e2e tests load them into a real MariaDB).</summary>
public sealed class MySqlRowEncoderTests
{
    [Fact]
    public void Values_are_literals_with_backslash_escapes_utc_times_with_microseconds_and_null_for_missing_fields()
    {
        var record = new Record();
        record.Add("s", Value.String("it's a\\b\0c\nd\re\u001Af\tg é"));
        record.Add("n", Value.Int(-42));
        record.Add("t", Value.DateTime(new DateTime(2019, 8, 6, 12, 12, 19).AddTicks(1_234_567), TimeSpan.FromHours(8)));
        record.Add("f", Value.Float(0.1));
        record.Add("yes", Value.Bool(true));
        record.Add("ip", Value.Ip("10.0.1.2"));

        Encode(record, ("s", "text"), ("n", "bigint"), ("t", "datetime"), ("f", "double"), ("yes", "tinyint"), ("ip", "varchar"), ("ip", "inet6"), ("n", "text"), ("absent", "bigint"))
            .Should().Be("('it\\'s a\\\\b\\0c\\nd\\re\\Zf\tg é',-42,'2019-08-06 04:12:19.123456',0.1,1,'10.0.1.2','::ffff:10.0.1.2','-42',NULL),");
    }

    [Fact]
    public void A_statement_is_the_prefix_and_its_rows_without_the_last_comma()
    {
        var encoder = new MySqlRowEncoder();
        var rows = Enumerable.Range(1, 3).Select(i =>
        {
            var record = new Record();
            record.Add("n", Value.Int(i));
            return record;
        }).ToList();

        encoder.Encode(rows, [Column("n", "bigint")], "table t");

        encoder.Statement("INSERT INTO `t` (`n`) VALUES ", 0, 3).Should().Be("INSERT INTO `t` (`n`) VALUES (1),(2),(3)");
        encoder.Statement("V ", 1, 1).Should().Be("V (2)");
    }

    [Theory]
    [InlineData(long.MaxValue, new[] { 0, 4 })]
    [InlineData(11, new[] { 0, 2, 2, 1, 3, 1 })]
    [InlineData(9, new[] { 0, 2, 2, 1, 3, 1 })]
    [InlineData(8, new[] { 0, 1, 1, 1, 2, 1, 3, 1 })]
    [InlineData(3, new[] { 0, 1, 1, 1, 2, 1, 3, 1 })]
    public void Rows_go_in_runs_no_longer_than_the_statement_limit_and_a_longer_row_runs_alone(long maxBytes, int[] runs)
    {
        var encoder = new MySqlRowEncoder();
        var rows = new[] { 1L, 22, 333, 4444 }.Select(n => // rows of 4, 5, 6 and 7 bytes: "(1),"
        {
            var record = new Record();
            record.Add("n", Value.Int(n));
            return record;
        }).ToList();
        encoder.Encode(rows, [Column("n", "bigint")], "table t");

        encoder.Runs(maxBytes).SelectMany(r => new[] { r.Start, r.Count }).Should().Equal(runs);
    }

    [Theory]
    [InlineData("n", "bigint", "column 'n' (bigint) cannot take a string value")]
    [InlineData("nan", "double", "column 'nan' (double) cannot take a float value")]
    [InlineData("n", "datetime", "column 'n' (datetime) cannot take a string value")]
    [InlineData("n", "inet6", "column 'n' (inet6) cannot take a string value")]
    public void A_value_its_column_cannot_take_rejects_the_record_before_sending(string field, string type, string reason)
    {
        var bad = new Record();
        bad.Add("n", Value.String("abc"));
        bad.Add("nan", Value.Float(double.NaN));
        var good = new Record();
        good.Add(field, type switch
        {
            "datetime" => Value.DateTime(new DateTime(2019, 8, 6)),
            "inet6" => Value.Ip("::1"),
            "double" => Value.Float(1),
            _ => Value.String("7"),
        });
        var encoder = new MySqlRowEncoder();

        encoder.Encode([bad, good], [Column(field, type)], "table t");

        encoder.Records.Should().Equal(good);
        encoder.Rejected.Should().ContainSingle().Which.Reason.Should().Be("table t: " + reason);
    }

    private static MySqlColumn Column(string name, string type) =>
        new(name, type, MySqlSinkBackend.KindOf(type), type == "inet6");

    private static string Encode(Record record, params (string Name, string Type)[] columns)
    {
        var encoder = new MySqlRowEncoder();
        encoder.Encode([record], [.. columns.Select(c => Column(c.Name, c.Type))], "table t");
        encoder.Rejected.Should().BeEmpty();
        return System.Text.Encoding.UTF8.GetString(encoder.Rows(0, 1).Span);
    }
}
