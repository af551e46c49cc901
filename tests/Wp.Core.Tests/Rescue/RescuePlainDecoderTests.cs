using System.Buffers;
using System.Text;
using CsCheck;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Rescue;

/// <summary>
/// The one-pass plain decoder against the JSON reader (the reference): whatever the plain path accepts,
/// the reader accepts with the same record; it takes the entries the plain encoder writes; and its
/// per-thread state (names remembered by position, the shared char slab, the last date) never leaks
/// from one entry into another.
/// </summary>
public class RescuePlainDecoderTests
{
    private static readonly Gen<string> PlainText = Gen.Char[' ', '~'].Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<TimeSpan?> AnyOffset = Gen.Frequency(
        (1, Gen.Const((TimeSpan?)null)),
        (3, Gen.Int[-(18 * 60) - 59, (18 * 60) + 59].Select(m => (TimeSpan?)TimeSpan.FromMinutes(m))));

    private static readonly Gen<DateTime> AnyTime = Gen.Frequency(
        (2, Gen.DateTime),
        (1, Gen.OneOf(DateTime.MinValue, DateTime.MaxValue, new DateTime(2024, 2, 29), new DateTime(2019, 1, 3, 13, 8, 14))),
        (2, Gen.Long[0, TimeSpan.TicksPerDay * 3].Select(t => new DateTime(2019, 1, 3).AddTicks(t))));

    private static readonly Gen<long> AnyLong = Gen.Frequency(
        (3, Gen.Long),
        (2, Gen.Int[-1000, 100_000].Select(i => (long)i)),
        (1, Gen.OneOf(long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, 0L, -1L, 1L, 10L)));

    /// <summary>Values of every kind, mostly in the plain form, some not (non-ASCII, escapes, floats).</summary>
    private static readonly Gen<Value> AnyValue = Gen.Frequency(
        (4, PlainText.Select(s => Value.String(s))),
        (1, RescueRecordGen.AnyText.Select(s => Value.String(s))),
        (3, AnyLong.Select(Value.Int)),
        (1, RescueRecordGen.AnyDouble.Select(Value.Float)),
        (1, Gen.Bool.Select(Value.Bool)),
        (2, Gen.OneOf("10.0.0.1", "::1", "fe80::1%eth0", "255.255.255.255", "68.111.79.34").Select(s => Value.Ip(s))),
        (3, Gen.Select(AnyTime, AnyOffset, Value.DateTime)),
        (1, Gen.Const(Value.Ignore)));

    private static readonly Gen<string> AnyName = Gen.Frequency(
        (6, Gen.OneOf("sip", "time", "request", "status", "size", "referer", "agent", "xff", "wp_src_key", "s", "si", "sip2", "")),
        (2, PlainText),
        (1, RescueRecordGen.AnyText));

    /// <summary>
    /// A "file": one layout (names) and many entries; most follow it, some change a name, drop or add a
    /// field, or are mangled by a byte — as a file's entries would look to the position memory.
    /// </summary>
    private static readonly Gen<(string[], (Value[], int, int, string)[])> AnyFile =
        Gen.Select(
            AnyName.Array[0, 12],
            Gen.Select(AnyValue.Array[0, 14], Gen.Int[0, 9], Gen.Int[0, 2000], Gen.OneOf("\"", "]", ",", "0", "x", "\\", "é", "", "-", ".")).Array[1, 30]);

    [Fact]
    public void Whatever_the_plain_path_accepts_the_reader_accepts_with_the_same_record_across_a_file()
    {
        AnyFile.Sample(
            file =>
            {
                var (layout, entries) = file;
                var expected = new List<Record?>();
                var decoded = new List<Record?>();
                var lines = new List<string>();
                foreach (var (values, change, edit, text) in entries)
                {
                    var record = new Record();
                    for (var i = 0; i < values.Length; i++)
                    {
                        var name = i < layout.Length ? layout[i] : "extra" + i;
                        record.Add(change == 1 && i == values.Length / 2 ? name + "x" : name, values[i]);
                    }

                    var line = Encode(record);
                    if (change == 2)
                    {
                        var at = edit % (line.Length + 1);
                        line = line.Insert(at, text);
                    }

                    var bytes = Encoding.UTF8.GetBytes(line);
                    var fast = RescueEntryCodec.TryDecodePlainOnly(bytes, out var a);
                    var reader = RescueEntryCodec.TryDecodeWithReader(bytes, out var b, out _);
                    if (fast)
                    {
                        reader.Should().BeTrue(line);
                    }

                    RescueEntryCodec.TryDecode(bytes, out var c, out _).Should().Be(reader, line);
                    lines.Add(line);
                    expected.Add(reader ? b : null);
                    decoded.Add(fast ? a : c);
                }

                // Compared once the whole file is decoded: no later entry overwrote an earlier one's text.
                for (var i = 0; i < lines.Count; i++)
                {
                    if (expected[i] is { } want)
                    {
                        var got = decoded[i]!;
                        got.Raw.Should().Be(want.Raw, lines[i]);
                        got.Fields.Select(f => f.Name).Should().Equal(want.Fields.Select(f => f.Name), lines[i]);
                        got.Fields.Select(f => f.Value.Kind).Should().Equal(want.Fields.Select(f => f.Value.Kind), lines[i]);
                        got.Fields.Should().Equal(want.Fields, lines[i]);
                    }
                }
            },
            iter: 3_000,
            print: f => string.Join(",", f.Item1) + " / " + f.Item2.Length + " entries");
    }

    [Fact]
    public void Takes_every_entry_the_plain_encoder_writes_with_every_kind_and_offset()
    {
        var plainValue = Gen.Frequency(
            (3, PlainText.Where(s => s.IndexOfAny(['"', '\\']) < 0).Select(s => Value.String(s))),
            (3, AnyLong.Select(Value.Int)),
            (1, Gen.Bool.Select(Value.Bool)),
            (1, Gen.OneOf("10.0.0.1", "::1").Select(s => Value.Ip(s))),
            (3, Gen.Select(AnyTime, AnyOffset, Value.DateTime)),
            (1, Gen.Const(Value.Ignore)));
        var plainName = Gen.Char['a', 'z'].Array[0, 12].Select(c => new string(c));
        Gen.Select(plainName, plainValue).Array[0, 16].Sample(
            fields =>
            {
                var record = new Record();
                foreach (var (name, value) in fields)
                {
                    record.Add(name, value);
                }

                var line = Encoding.UTF8.GetBytes(Encode(record));
                RescueEntryCodec.TryDecodePlainOnly(line, out var back).Should().BeTrue(Encoding.UTF8.GetString(line));
                back!.Fields.Select(f => f.Name).Should().Equal(record.Fields.Select(f => f.Name));
                back.Fields.Should().Equal(record.Fields);
                back.Fields.Select(f => f.Value.Offset).Should().Equal(record.Fields.Select(f => f.Value.Offset));
            },
            iter: 10_000);
    }

    [Theory]
    [InlineData("\"i\",0")]
    [InlineData("\"i\",-0")]
    [InlineData("\"i\",00")]
    [InlineData("\"i\",01")]
    [InlineData("\"i\",-")]
    [InlineData("\"i\",1e5")]
    [InlineData("\"i\",1.0")]
    [InlineData("\"i\",+1")]
    [InlineData("\"i\",9223372036854775807")]
    [InlineData("\"i\",9223372036854775808")]
    [InlineData("\"i\",-9223372036854775808")]
    [InlineData("\"i\",-9223372036854775809")]
    [InlineData("\"i\",12345678901234567890")]
    [InlineData("\"i\",99999999999999999999")]
    [InlineData("\"i\",1 ")]
    [InlineData("\"t\",\"2019-01-03T13:08:14\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+08:00\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14-05:30\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14-00:00\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+18:59\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+19:00\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+08:60\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+0800\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14+08:0\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14Z\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.5\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.1234567\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.12345678\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.5+08:00\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14.+08:00\"")]
    [InlineData("\"t\",\"2019-01-03 13:08:14\"")]
    [InlineData("\"t\",\"2019-01-03T13:08\"")]
    [InlineData("\"t\",\"2019-01-03T24:00:00\"")]
    [InlineData("\"t\",\"2019-01-03T23:60:00\"")]
    [InlineData("\"t\",\"2019-01-03T23:59:60\"")]
    [InlineData("\"t\",\"2024-02-29T00:00:00\"")]
    [InlineData("\"t\",\"2023-02-29T00:00:00\"")]
    [InlineData("\"t\",\"2023-13-01T00:00:00\"")]
    [InlineData("\"t\",\"0000-01-01T00:00:00\"")]
    [InlineData("\"t\",\"0001-01-01T00:00:00\"")]
    [InlineData("\"t\",\"9999-12-31T23:59:59.9999999\"")]
    [InlineData("\"t\",\"2019-1-03T13:08:14\"")]
    [InlineData("\"t\",\"2019-01-03T13:08:14\" ")]
    [InlineData("\"t\",2019")]
    [InlineData("\"s\",\"\"")]
    [InlineData("\"s\",\"abc\"")]
    [InlineData("\"s\",\"a\\\"b\"")]
    [InlineData("\"s\",\"a\\u0041b\"")]
    [InlineData("\"s\",\"caf\u00e9\"")]
    [InlineData("\"s\",\"tab\there\"")]
    [InlineData("\"s\",\"del\u007f\"")]
    [InlineData("\"s\",\"0123456789abcdef0123456789abcdef0123456789\"")]
    [InlineData("\"s\",\"0123456789abcdef\\n0123456789abcdef\"")]
    [InlineData("\"s\",\"unclosed")]
    [InlineData("\"ip\",\"10.0.0.1\"")]
    [InlineData("\"ip\",1")]
    [InlineData("\"b\",true")]
    [InlineData("\"b\",false")]
    [InlineData("\"b\",True")]
    [InlineData("\"_\",null")]
    [InlineData("\"_\",nul")]
    [InlineData("\"f\",1.5")]
    [InlineData("\"x\",1")]
    [InlineData("\"s \",\"a\"")]
    public void Agrees_with_the_reader_on_each_value_form(string kindAndValue)
    {
        foreach (var name in new[] { "a", "status", "a\\\"b", "caf\u00e9" })
        {
            foreach (var line in new[]
            {
                $"{{\"v\":1,\"f\":[[\"{name}\",{kindAndValue}]]}}",
                $"{{\"v\":1,\"f\":[[\"x\",\"i\",1],[\"{name}\",{kindAndValue}],[\"y\",\"s\",\"end\"]]}}",
                $"{{\"v\":1,\"f\":[[\"{name}\",{kindAndValue}]]}}",
                $"{{\"v\":1,\"f\":[[\"{name}\",{kindAndValue}],[\"y\",\"s\",\"0123456789abcdef\"]]}}\r\n",
            })
            {
                AgreesWithTheReader(line);
            }
        }
    }

    [Theory]
    [InlineData("{\"v\":1,\"f\":[]}")]
    [InlineData("{\"v\":1,\"f\":[] }")]
    [InlineData(" {\"v\":1,\"f\":[]}")]
    [InlineData("{\"v\":1,\"f\":[],}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"],]}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"][\"b\",\"s\",\"y\"]]}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"] ,[\"b\",\"s\",\"y\"]]}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]]}x")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]]}}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]]]}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]}")]
    [InlineData("{\"v\":1,\"f\":[[\"a\",\"s\",\"x\"]")]
    [InlineData("{\"v\":1,\"raw\":\"x\"}")]
    [InlineData("{\"v\":1,\"raw\":\"\"}")]
    [InlineData("{\"v\":1,\"raw\":\"a\\\"b\"}")]
    [InlineData("{\"v\":1,\"raw\":\"a\"b\"}")]
    [InlineData("{\"v\":1,\"raw\":\"caf\u00e9\"}")]
    [InlineData("{\"v\":1,\"raw\":\"x\"")]
    [InlineData("{\"v\":1,\"raw\":\"x}")]
    public void Agrees_with_the_reader_on_the_entry_frame(string line) => AgreesWithTheReader(line);

    [Fact]
    public void A_rejected_entry_leaves_the_entries_before_it_intact()
    {
        var first = "{\"v\":1,\"f\":[[\"a\",\"s\",\"first value\"],[\"b\",\"ip\",\"10.0.0.1\"]]}"u8.ToArray();
        var torn = "{\"v\":1,\"f\":[[\"a\",\"s\",\"second\"],[\"b\",\"ip\",\"10.0.0.2\"],[\"c\",\"f\",0.5]]}"u8.ToArray();
        var third = "{\"v\":1,\"f\":[[\"a\",\"s\",\"third!\"],[\"b\",\"ip\",\"10.0.0.3\"]]}"u8.ToArray();

        RescueEntryCodec.TryDecodePlainOnly(first, out var a).Should().BeTrue();
        RescueEntryCodec.TryDecodePlainOnly(torn, out _).Should().BeFalse("floats are the reader's");
        RescueEntryCodec.TryDecodePlainOnly(third, out var c).Should().BeTrue();

        a!.Fields.Select(f => f.Value.ToString()).Should().Equal("first value", "10.0.0.1");
        c!.Fields.Select(f => f.Value.ToString()).Should().Equal("third!", "10.0.0.3");
    }

    [Fact]
    public void Decodes_a_hundred_thousand_entries_each_with_its_own_text()
    {
        var records = new List<Record>();
        for (var i = 0; i < 100_000; i++)
        {
            var line = Encoding.ASCII.GetBytes(
                $"{{\"v\":1,\"f\":[[\"n\",\"i\",{i}],[\"s\",\"s\",\"value {i} {new string('x', i % 300)}\"],[\"t\",\"t\",\"2019-01-{1 + (i % 28):00}T13:08:14+08:00\"]]}}");
            RescueEntryCodec.TryDecodePlainOnly(line, out var record).Should().BeTrue();
            records.Add(record!);
        }

        for (var i = 0; i < records.Count; i++)
        {
            var fields = records[i].Fields;
            fields[0].Value.AsInt.Should().Be(i);
            fields[1].Value.ToString().Should().Be($"value {i} {new string('x', i % 300)}");
            fields[2].Value.AsDateTime.Should().Be(new DateTime(2019, 1, 1 + (i % 28), 13, 8, 14));
            fields[2].Value.Offset.Should().Be(TimeSpan.FromHours(8));
        }
    }

    [Fact]
    public void A_long_entry_keeps_its_text_and_the_entries_after_it_theirs()
    {
        var longText = string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('a' + (i % 26))));
        var entries = new[] { "short one", longText, "after", longText[..30_000], "last" };
        var records = entries.Select(text =>
        {
            RescueEntryCodec.TryDecodePlainOnly(Encoding.ASCII.GetBytes($"{{\"v\":1,\"f\":[[\"s\",\"s\",\"{text}\"],[\"n\",\"i\",7]]}}"), out var record)
                .Should().BeTrue();
            return record!;
        }).ToList();

        records.Select(r => r.Fields[0].Value.ToString()).Should().Equal(entries);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("caf\u00e9")] // through the JSON writer
    public void Encodes_every_time_and_offset_a_value_holds_on_both_encoders(string text)
    {
        foreach (var wall in new[] { DateTime.MinValue, DateTime.MaxValue, new DateTime(2019, 1, 3, 13, 8, 14).AddTicks(1234567) })
        {
            foreach (var minutes in new[] { -18 * 60, -(14 * 60) - 1, -1, 0, 1, (14 * 60) + 1, 18 * 60 })
            {
                var record = new Record();
                record.Add("s", Value.String(text));
                record.Add("t", Value.DateTime(wall, TimeSpan.FromMinutes(minutes)));

                var line = Encode(record);
                RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out var back, out var error).Should().BeTrue(error);
                back!.Fields.Should().Equal(record.Fields, line);
                back.Fields[1].Value.Offset.Should().Be(TimeSpan.FromMinutes(minutes), line);
            }
        }
    }

    [Fact]
    public void The_plain_encoder_writes_no_more_than_the_space_it_asks_for()
    {
        var record = new Record();
        for (var i = 0; i < 8; i++)
        {
            record.Add("t" + i, Value.DateTime(DateTime.MaxValue, TimeSpan.FromMinutes(-18 * 60)));
            record.Add("i" + i, Value.Int(long.MinValue));
            record.Add("b" + i, Value.Bool(false));
            record.Add("_" + i, Value.Ignore);
            record.Add("ip" + i, Value.Ip("fe80::1"));
            record.Add("s" + i, Value.String(string.Empty));
        }

        var exact = new ExactBufferWriter();
        RescueEntryCodec.Encode(record, exact);

        exact.Text.Should().Be(Encode(record));
        RescueEntryCodec.TryDecodePlainOnly(Encoding.ASCII.GetBytes(exact.Text), out var back).Should().BeTrue();
        back!.Fields.Should().Equal(record.Fields);
    }

    /// <summary>Gives exactly the space asked for, so writing past it throws.</summary>
    private sealed class ExactBufferWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _span = [];

        public string Text => Encoding.UTF8.GetString([.. _written]);

        public void Advance(int count) => _written.AddRange(_span.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _span = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _span = new byte[Math.Max(sizeHint, 1)];
    }

    private static void AgreesWithTheReader(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var reader = RescueEntryCodec.TryDecodeWithReader(bytes, out var expected, out var expectedError);
        var fast = RescueEntryCodec.TryDecodePlainOnly(bytes, out var plain);
        var both = RescueEntryCodec.TryDecode(bytes, out var decoded, out var error);

        both.Should().Be(reader, line);
        error.Should().Be(expectedError, line);
        if (fast)
        {
            reader.Should().BeTrue(line);
            plain!.Raw.Should().Be(expected!.Raw, line);
            plain.Fields.Select(f => f.Name).Should().Equal(expected.Fields.Select(f => f.Name), line);
            plain.Fields.Should().Equal(expected.Fields, line);
        }

        if (both)
        {
            decoded!.Fields.Should().Equal(expected!.Fields, line);
        }
    }

    private static string Encode(Record record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RescueEntryCodec.Encode(record, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
    [Fact]
    public void Text_decoded_into_a_lease_stays_intact_until_released_even_when_the_same_lease_is_taken_again()
    {
        // The text of a lease's records lives in char arrays of that lease, handed out again in its next
        // use; a decoder that kept writing into the old array would overwrite the new records' text.
        var pool = new RecordPool();
        var first = pool.Take();
        Decode(first, 0, 10);
        first.Release();
        var again = pool.Take();
        again.Should().BeSameAs(first);

        var records = Decode(again, 100, 100); // ~100 K chars: more than one array

        records.Select(r => r.Find("msg")!.Value.Value.Text.ToString())
            .Should().Equal(Enumerable.Range(100, 100).Select(Message));

        static List<Record> Decode(RecordLease lease, int from, int count) =>
            [.. Enumerable.Range(from, count).Select(i =>
            {
                var record = new Record();
                record.Add("msg", Value.String(Message(i)));
                using var buffer = new PooledByteBuffer();
                RescueEntryCodec.Encode(record, buffer);
                RescueEntryCodec.TryDecode(buffer.WrittenSpan, lease, out var decoded, out _).Should().BeTrue();
                return decoded!;
            })];

        static string Message(int i) => $"{i}:" + new string((char)('a' + (i % 26)), 1000);
    }
}
