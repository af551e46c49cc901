using System.Buffers;
using System.Text;
using CsCheck;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Rescue;

public class RescueEntryCodecTests
{
    [Fact]
    public void Encodes_fields_as_name_kind_value_triples_on_one_line()
    {
        var record = new Record();
        record.Add("sip", Value.Ip("10.0.0.1"));
        record.Add("status", Value.Int(200));
        record.Add("msg", Value.String("GET \"/\"\n"));
        record.Add("ok", Value.Bool(true));
        record.Add("ratio", Value.Float(0.5));
        record.Add("at", Value.DateTime(new DateTime(2025, 1, 2, 3, 4, 5).AddTicks(1234567)));
        record.Add("_", Value.Ignore);

        Encode(record).Should().Be(
            """{"v":1,"f":[["sip","ip","10.0.0.1"],["status","i",200],["msg","s","GET \"/\"\n"],["ok","b",true],["ratio","f",0.5],["at","t","2025-01-02T03:04:05.1234567"],["_","_",null]]}"""
            + "\n");
    }

    [Fact]
    public void Encodes_raw_records_as_raw_entries()
    {
        Encode(Record.FromRaw("not parsed \"at\" all")).Should().Be("{\"v\":1,\"raw\":\"not parsed \\\"at\\\" all\"}\n");
    }

    [Theory]
    [InlineData(double.NaN, "\"NaN\"")]
    [InlineData(double.PositiveInfinity, "\"Infinity\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    [InlineData(-0.0, "-0")]
    [InlineData(0.1, "0.1")]
    [InlineData(double.Epsilon, "5E-324")]
    public void Encodes_floats_so_that_every_bit_survives(double d, string json)
    {
        var record = new Record();
        record.Add("x", Value.Float(d));

        var line = Encode(record);

        line.Should().Be($$"""{"v":1,"f":[["x","f",{{json}}]]}""" + "\n");
        Decode(line).Fields[0].Value.Should().Be(Value.Float(d));
    }

    [Fact]
    public void Keeps_a_nan_payload()
    {
        var odd = BitConverter.Int64BitsToDouble(0x7FF0000000000123);
        var record = new Record();
        record.Add("x", Value.Float(odd));

        var line = Encode(record);

        line.Should().Contain("\"NaN:7FF0000000000123\"");
        BitConverter.DoubleToInt64Bits(Decode(line).Fields[0].Value.AsFloat).Should().Be(0x7FF0000000000123);
    }

    [Fact]
    public void Keeps_datetimes_to_the_tick()
    {
        foreach (var dt in new[] { DateTime.MinValue, DateTime.MaxValue, new DateTime(2025, 6, 1, 12, 0, 0).AddTicks(1) })
        {
            var record = new Record();
            record.Add("t", Value.DateTime(dt));

            Decode(Encode(record)).Fields[0].Value.AsDateTime.Ticks.Should().Be(dt.Ticks);
        }
    }

    [Theory]
    [InlineData(480, "a")]
    [InlineData(-330, "a")]
    [InlineData(0, "a")]
    [InlineData(480, "caf\u00e9")]
    public void Keeps_the_offset_a_time_was_written_with(int offsetMinutes, string text)
    {
        var wall = new DateTime(2019, 8, 6, 12, 12, 19).AddTicks(5);
        var record = new Record();
        record.Add("s", Value.String(text)); // non-ASCII text takes the Utf8JsonWriter path
        record.Add("t", Value.DateTime(wall, TimeSpan.FromMinutes(offsetMinutes)));
        record.Add("plain", Value.DateTime(wall));

        var line = Encode(record);
        var back = Decode(line);

        line.Should().Contain(offsetMinutes switch { 480 => "+08:00", -330 => "-05:30", _ => "+00:00" });
        back.Fields[1].Value.Should().Be(record.Fields[1].Value);
        back.Fields[1].Value.Offset.Should().Be(TimeSpan.FromMinutes(offsetMinutes));
        back.Fields[2].Value.Offset.Should().BeNull();
        back.Fields[1].Value.AsDateTime.Should().Be(wall);
    }

    [Fact]
    public void Turns_a_lone_surrogate_into_the_replacement_character()
    {
        var record = new Record();
        record.Add("x", Value.String("a\ud800b"));

        Decode(Encode(record)).Fields[0].Value.ToString().Should().Be("a\ufffdb");
    }

    [Fact]
    public void Any_record_survives_encode_then_decode()
    {
        RescueRecordGen.AnyRecord.Sample(
            record =>
            {
                var buffer = new ArrayBufferWriter<byte>(); // Sample runs on several threads
                RescueEntryCodec.Encode(record, buffer);
                var line = buffer.WrittenSpan;
                line.IndexOf((byte)'\n').Should().Be(line.Length - 1, "an entry is exactly one line");

                RescueEntryCodec.TryDecode(line, out var back, out var error).Should().BeTrue(error);
                back!.IsRaw.Should().Be(record.IsRaw);
                back.Raw.Should().Be(record.Raw);
                back.Fields.Select(f => f.Name).Should().Equal(record.Fields.Select(f => f.Name));
                back.Fields.Select(f => f.Value.Kind).Should().Equal(record.Fields.Select(f => f.Value.Kind));
                back.Fields.Should().Equal(record.Fields);
            },
            iter: 5_000,
            print: r => r.IsRaw ? "raw " + r.Raw : string.Join(" | ", r.Fields.Select(f => $"{f.Name}:{f.Value.Kind}={f.Value}")));
    }

    [Fact]
    public void The_plain_ascii_fast_path_writes_exactly_what_the_json_writer_writes()
    {
        Gen.Frequency((4, PlainRecord), (1, RescueRecordGen.AnyRecord)).Sample(
            record =>
            {
                var fast = new ArrayBufferWriter<byte>();
                RescueEntryCodec.Encode(record, fast);
                var general = new ArrayBufferWriter<byte>();
                RescueEntryCodec.EncodeWithWriter(record, general);
                Encoding.UTF8.GetString(fast.WrittenSpan).Should().Be(Encoding.UTF8.GetString(general.WrittenSpan));
            },
            iter: 20_000,
            print: r => r.IsRaw ? "raw " + r.Raw : string.Join(" | ", r.Fields.Select(f => $"{f.Name}:{f.Value.Kind}={f.Value}")));
    }

    /// <summary>Records the encoder's and decoder's plain ASCII paths take (and some they must refuse: quotes, backslashes).</summary>
    private static readonly Gen<Record> PlainRecord = MakePlainRecord();

    private static Gen<Record> MakePlainRecord()
    {
        var plainText = Gen.Char[' ', '~'].Array[0, 24].Select(chars => new string(chars));
        var plainValue = Gen.OneOf(
            plainText.Select(s => Value.String(s)),
            Gen.Long.Select(Value.Int),
            Gen.OneOf(long.MinValue, long.MaxValue, 0L, -1L).Select(Value.Int),
            Gen.Bool.Select(Value.Bool),
            Gen.OneOf("10.0.0.1", "::1", "fe80::1").Select(s => Value.Ip(s)),
            Gen.DateTime.Select(Value.DateTime),
            Gen.Long[0, TimeSpan.TicksPerSecond - 1].Select(t => Value.DateTime(new DateTime(2019, 8, 6, 12, 12, 19).AddTicks(t))),
            Gen.Const(Value.Ignore));
        return Gen.Frequency(
            (1, plainText.Select(Record.FromRaw)),
            (6, Gen.Select(plainText, plainValue).Array[0, 12].Select(fields =>
            {
                var record = new Record(fields.Length);
                foreach (var (name, value) in fields)
                {
                    record.Add(name, value);
                }

                return record;
            })));
    }

    [Fact]
    public void The_plain_ascii_decoder_agrees_with_the_json_reader_on_entries_and_on_mangled_entries()
    {
        var edits = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1000], Gen.OneOf("\"", "[", "]", ",", ":", "0", "-", "1", "e", ".", " ", "\\", "x", "null", "true"));
        Gen.Select(Gen.Frequency((4, PlainRecord), (1, RescueRecordGen.AnyRecord)), edits.Array[0, 2]).Sample(
            (record, mangle) =>
            {
                var buffer = new ArrayBufferWriter<byte>();
                RescueEntryCodec.Encode(record, buffer);
                var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
                foreach (var (op, at, text) in mangle)
                {
                    var i = at % (line.Length + 1);
                    line = op switch
                    {
                        0 => line.Insert(i, text),
                        1 when i < line.Length => line.Remove(i, 1),
                        2 when i < line.Length => line.Remove(i, 1).Insert(i, text),
                        _ => line,
                    };
                }

                var bytes = Encoding.UTF8.GetBytes(line);
                var fast = RescueEntryCodec.TryDecode(bytes, out var a, out _);
                var reader = RescueEntryCodec.TryDecodeWithReader(bytes, out var b, out _);
                fast.Should().Be(reader, line);
                if (fast)
                {
                    a!.Raw.Should().Be(b!.Raw, line);
                    a.Fields.Select(f => f.Name).Should().Equal(b.Fields.Select(f => f.Name), line);
                    a.Fields.Should().Equal(b.Fields, line);
                }
            },
            iter: 50_000,
            print: t => t.Item1.ToString() + " / " + string.Join(";", t.Item2));
    }

    [Fact]
    public void Decodes_many_entries_of_one_thread_independently()
    {
        var a = new Record();
        a.Add("name", Value.String("first"));
        var b = new Record();
        b.Add("name", Value.String("second"));

        var first = Decode(Encode(a));
        var second = Decode(Encode(b));

        first.Fields[0].Value.ToString().Should().Be("first");
        second.Fields[0].Value.ToString().Should().Be("second");
        ReferenceEquals(first.Fields[0].Name, second.Fields[0].Name).Should().BeTrue("field names are interned");
    }

    [Theory]
    [InlineData("", "empty line")]
    [InlineData("   ", "empty line")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("plain text line", "not a JSON entry")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]", "not a JSON entry")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]]", "not a JSON entry")]
    [InlineData("{\"v\":2,\"f\":[]}", "unsupported entry version 2")]
    [InlineData("{\"f\":[]}", "missing \"v\"")]
    [InlineData("{\"v\":1}", "neither")]
    [InlineData("{\"v\":\"1\",\"f\":[]}", "\"v\" is not an integer")]
    [InlineData("{\"v\":1,\"f\":[],\"raw\":\"x\"}", "only")]
    [InlineData("{\"v\":1,\"raw\":\"x\",\"raw\":\"y\"}", "only")]
    [InlineData("{\"v\":1,\"x\":1}", "unknown property")]
    [InlineData("{\"v\":1,\"f\":[]} {}", "not a JSON entry")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"q\",1]]}", "unknown kind \"q\"")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"i\",1.5]]}", "not a 64-bit integer")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"i\",\"1\"]]}", "not a 64-bit integer")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"i\",99999999999999999999]]}", "not a 64-bit integer")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"f\",\"nan\"]]}", "not a float")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"b\",1]]}", "not a bool")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"t\",\"2025-01-02T03:04:05Z\"]]}", "date-time")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"t\",\"yesterday\"]]}", "date-time")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",1]]}", "not a string")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"_\",1]]}", "must be null")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\",1]]}", "more than")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\"]]}", "not a string")]
    [InlineData("{\"v\":1,\"f\":[[1,\"s\",\"x\"]]}", "name is not a string")]
    [InlineData("{\"v\":1,\"f\":[\"a\"]}", "not an array")]
    [InlineData("{\"v\":1,\"f\":{}}", "only field array")]
    public void Rejects_bad_lines_with_a_reason_and_never_throws(string line, string reason)
    {
        RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out var record, out var error).Should().BeFalse();

        record.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Rejects_a_torn_last_line_and_invalid_utf8()
    {
        var record = new Record();
        record.Add("msg", Value.String("hello world"));
        var line = Encoding.UTF8.GetBytes(Encode(record));

        for (var cut = 0; cut < line.Length - 2; cut++)
        {
            RescueEntryCodec.TryDecode(line.AsSpan(0, cut), out _, out var error).Should().BeFalse();
            error.Should().NotBeNullOrEmpty();
        }

        byte[] invalid = [.. "{\"v\":1,\"raw\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        RescueEntryCodec.TryDecode(invalid, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Accepts_a_trailing_crlf()
    {
        RescueEntryCodec.TryDecode("{\"v\":1,\"raw\":\"x\"}\r\n"u8, out var record, out _).Should().BeTrue();

        record!.Raw.Should().Be("x");
    }

    private static string Encode(Record record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RescueEntryCodec.Encode(record, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Record Decode(string line)
    {
        RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out var record, out var error).Should().BeTrue(error);
        return record!;
    }
}
