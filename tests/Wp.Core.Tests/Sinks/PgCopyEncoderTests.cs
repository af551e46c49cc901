using System.Buffers.Binary;
using Wp.Core.Records;
using Wp.Core.Sinks.Postgres;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks;

/// <summary>
/// The bytes of PostgreSQL's binary COPY rows, checked against the wire format each type's
/// <c>*send</c> function defines (the e2e tests then load them into a real server).
/// </summary>
public sealed class PgCopyEncoderTests
{
    [Fact]
    public void Header_and_trailer_are_the_binary_copy_signature_and_the_end_marker()
    {
        PgCopyEncoder.Header.ToArray().Should().Equal(0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
        PgCopyEncoder.Trailer.ToArray().Should().Equal(0xFF, 0xFF);
    }

    [Fact]
    public void Integers_text_and_missing_fields_are_big_endian_values_utf8_and_null()
    {
        var fields = EncodeOne(Row(("n", Value.Int(258)), ("s", Value.String("héllo")), ("small", Value.String("-2"))), ("n", "bigint"), ("s", "text"), ("absent", "integer"), ("small", "smallint"), ("n", "integer"));

        fields[0].Should().Equal(0, 0, 0, 0, 0, 0, 1, 2);
        fields[1].Should().Equal("héllo"u8.ToArray());
        fields[2].Should().BeNull();
        fields[3].Should().Equal(0xFF, 0xFE);
        fields[4].Should().Equal(0, 0, 1, 2);
    }

    [Fact]
    public void Times_are_microseconds_since_2000_of_the_instant()
    {
        var wall = new DateTime(2019, 8, 6, 12, 12, 19, 500);
        var fields = EncodeOne(Row(("t", Value.DateTime(wall, TimeSpan.FromHours(8)))), ("t", "timestamp with time zone"), ("t", "timestamp without time zone"));

        var expected = (long)(new DateTime(2019, 8, 6, 4, 12, 19, 500, DateTimeKind.Utc) - new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMicroseconds;
        BinaryPrimitives.ReadInt64BigEndian(fields[0]).Should().Be(expected);
        BinaryPrimitives.ReadInt64BigEndian(fields[1]).Should().Be(expected);
    }

    [Fact]
    public void Addresses_are_family_bits_cidr_flag_length_and_bytes()
    {
        var fields = EncodeOne(Row(("a", Value.Ip("10.0.1.2")), ("b", Value.String("::1"))), ("a", "inet"), ("b", "inet"), ("a", "text"));

        fields[0].Should().Equal(2, 32, 0, 4, 10, 0, 1, 2);
        fields[1].Should().Equal([3, 128, 0, 16, .. new byte[15], 1]);
        fields[2].Should().Equal("10.0.1.2"u8.ToArray());
    }

    [Theory]
    [InlineData(123.45, new short[] { 2, 0, 0, 2, 123, 4500 })]
    [InlineData(-0.0012, new short[] { 1, -1, 0x4000, 4, 12 })]
    [InlineData(10000.0, new short[] { 1, 1, 0, 0, 1 })]
    [InlineData(0.0, new short[] { 0, 0, 0, 0 })]
    [InlineData(double.NaN, new short[] { 0, 0, unchecked((short)0xC000), 0 })]
    public void Numbers_into_numeric_are_base_10000_digits_with_weight_sign_and_scale(double value, short[] expected)
    {
        var field = EncodeOne(Row(("x", Value.Float(value))), ("x", "numeric"))[0]!;

        Enumerable.Range(0, field.Length / 2).Select(i => BinaryPrimitives.ReadInt16BigEndian(field.AsSpan(i * 2))).Should().Equal(expected);
    }

    [Fact]
    public void Floats_and_bools_are_ieee_big_endian_and_one_byte()
    {
        var fields = EncodeOne(Row(("f", Value.Float(1.5)), ("b", Value.Bool(true)), ("i", Value.Int(1))), ("f", "double precision"), ("f", "real"), ("b", "boolean"), ("i", "boolean"));

        BinaryPrimitives.ReadDoubleBigEndian(fields[0]).Should().Be(1.5);
        BinaryPrimitives.ReadSingleBigEndian(fields[1]).Should().Be(1.5f);
        fields[2].Should().Equal(1);
        fields[3].Should().Equal(1);
    }

    [Fact]
    public void A_value_its_column_cannot_take_rejects_the_record_and_leaves_no_bytes_behind()
    {
        var encoder = new PgCopyEncoder();
        var good = Row(("n", Value.Int(1)), ("s", Value.String("a")));
        var tooBig = Row(("n", Value.Int(70_000)), ("s", Value.String("b")));
        var word = Row(("n", Value.String("abc")), ("s", Value.String("c")));
        PgColumn[] columns = [PgColumn.From("n", "smallint"), PgColumn.From("s", "text")];

        encoder.Encode([good, tooBig, word, good], columns, "table t");

        encoder.RowCount.Should().Be(2);
        encoder.Records.Should().Equal(good, good);
        encoder.Rejected.Select(r => r.Reason).Should().Equal(
            "table t: column 'n' (smallint) cannot take 70000: out of range",
            "table t: column 'n' (smallint) cannot take a string value");
        encoder.Rows(0, 2).ToArray().Should().Equal([.. encoder.Rows(0, 1).ToArray(), .. encoder.Rows(1, 1).ToArray()]);
        Fields(encoder.Rows(1, 1).ToArray())[1].Should().Equal((byte)'a');
    }

    [Fact]
    public void A_batch_larger_than_the_buffer_grows_it_and_every_row_stays_whole()
    {
        var encoder = new PgCopyEncoder();
        var text = new string('x', 1000);
        var batch = Enumerable.Range(0, 500).Select(i => Row(("n", Value.Int(i)), ("s", Value.String(text)))).ToList();

        encoder.Encode(batch, [PgColumn.From("n", "bigint"), PgColumn.From("s", "text")], "table t");

        encoder.RowCount.Should().Be(500);
        for (var i = 0; i < 500; i += 99)
        {
            var fields = Fields(encoder.Rows(i, 1).ToArray());
            BinaryPrimitives.ReadInt64BigEndian(fields[0]).Should().Be(i);
            fields[1].Should().HaveCount(1000);
        }
    }

    private static Record Row(params (string Name, Value Value)[] fields)
    {
        var record = new Record();
        foreach (var (name, value) in fields)
        {
            record.Add(name, value);
        }

        return record;
    }

    private static byte[]?[] EncodeOne(Record record, params (string Name, string DataType)[] columns)
    {
        var encoder = new PgCopyEncoder();
        encoder.Encode([record], [.. columns.Select(c => PgColumn.From(c.Name, c.DataType))], "table t");
        encoder.Rejected.Should().BeEmpty();
        return Fields(encoder.Rows(0, 1).ToArray());
    }

    // One row: int16 field count, then per field an int32 length (-1: NULL) and that many bytes.
    private static byte[]?[] Fields(byte[] row)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(row);
        var fields = new byte[]?[count];
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(at));
            at += 4;
            if (length >= 0)
            {
                fields[i] = row[at..(at + length)];
                at += length;
            }
        }

        at.Should().Be(row.Length);
        return fields;
    }
}
