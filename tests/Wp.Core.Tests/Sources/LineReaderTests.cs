using System.Text;
using Wp.Core.Records;
using Wp.Core.Sources;

namespace Wp.Core.Tests.Sources;

public sealed class LineReaderTests
{
    [Fact]
    public void Lines_are_split_on_newlines_and_a_carriage_return_before_one_is_dropped()
    {
        var lines = ReadAll("a\r\nbb\n\nccc\n");

        lines.Should().Equal("a", "bb", string.Empty, "ccc");
    }

    [Fact]
    public void A_final_line_without_newline_is_returned_only_when_asked_to_take_partial_lines()
    {
        using var reader = Reader("done\npartial");

        reader.TryReadLine(takePartialAtEnd: false, out var first).Should().BeTrue();
        first.Should().Be("done");
        reader.TryReadLine(takePartialAtEnd: false, out _).Should().BeFalse("a tail-follower waits for the newline");
        reader.TryReadLine(takePartialAtEnd: true, out var last).Should().BeTrue();
        last.Should().Be("partial");
        reader.Position.Should().Be(12);
    }

    [Fact]
    public void Invalid_utf8_is_replaced_and_counted()
    {
        using var reader = new LineReader(new MemoryStream([0x61, 0xC3, 0x28, 0x0A, 0x62, 0x0A]));

        reader.TryReadLine(true, out var bad).Should().BeTrue();
        reader.TryReadLine(true, out var good).Should().BeTrue();

        bad.Should().Be("a\uFFFD(");
        good.Should().Be("b");
        reader.InvalidUtf8Lines.Should().Be(1);
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_read_whole()
    {
        var big = new string('x', 3 * 1024 * 1024);

        var lines = ReadAll(big + "\nsmall\n", bufferSize: 4096);

        lines.Should().HaveCount(2);
        lines[0].Should().HaveLength(big.Length);
        lines[1].Should().Be("small");
    }

    [Fact]
    public void A_line_appended_after_end_of_stream_is_picked_up_on_the_next_read()
    {
        var stream = new MemoryStream();
        using var reader = new LineReader(stream);
        Append(stream, "first\nsec");

        reader.TryReadLine(false, out var first).Should().BeTrue();
        reader.TryReadLine(false, out _).Should().BeFalse();
        Append(stream, "ond\n");
        reader.TryReadLine(false, out var second).Should().BeTrue();

        first.Should().Be("first");
        second.Should().Be("second");
    }

    [Fact]
    public void Lines_decoded_into_a_lease_are_the_lines_read_as_strings()
    {
        // CRLF, empty lines, invalid UTF-8, multi-byte chars, a line over the pooled size, a partial tail.
        var bytes = new List<byte>();
        var random = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            var line = new string((char)('a' + (i % 26)), random.Next(0, 300)) + (i % 7 == 0 ? "é漢\r" : string.Empty);
            bytes.AddRange(Encoding.UTF8.GetBytes(line));
            if (i % 50 == 0)
            {
                bytes.AddRange([0xC3, 0x28]);
            }

            bytes.Add((byte)'\n');
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(new string('z', RecordLease.MaxPooledLineChars + 10) + "\ntail"));
        using var asStrings = new LineReader(new MemoryStream([.. bytes]), bufferSize: 4096);
        using var intoLease = new LineReader(new MemoryStream([.. bytes]), bufferSize: 4096);
        var lease = new RecordPool().Take();

        var count = 0;
        while (asStrings.TryReadLine(true, out var expected))
        {
            intoLease.TryReadLine(true, lease, out var chars, out var length).Should().BeTrue();
            new string(chars, 0, length).Should().Be(expected, $"line {count}");
            count++;
        }

        intoLease.TryReadLine(true, lease, out _, out _).Should().BeFalse();
        count.Should().Be(402);
        intoLease.InvalidUtf8Lines.Should().Be(asStrings.InvalidUtf8Lines).And.Be(8);
        intoLease.Position.Should().Be(asStrings.Position).And.Be(bytes.Count);
        lease.Rented.Should().Be(0, "lines take char arrays, not records");
    }

    [Fact]
    public void A_lease_hands_each_line_its_own_array_until_it_is_returned()
    {
        var pool = new RecordPool();
        var lease = pool.Take();
        using var reader = Reader("one\ntwo\n");

        reader.TryReadLine(true, lease, out var first, out _);
        reader.TryReadLine(true, lease, out var second, out _);
        second.Should().NotBeSameAs(first, "the first line's records still slice its array");

        lease.Release();
        var again = pool.Take();
        again.RentLine(3).Should().BeSameAs(first, "a returned lease reuses its arrays");
    }

    private static void Append(MemoryStream stream, string text)
    {
        var position = stream.Position;
        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Position = position;
    }

    private static LineReader Reader(string text, int bufferSize = 256 * 1024) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);

    private static List<string> ReadAll(string text, int bufferSize = 256 * 1024)
    {
        using var reader = Reader(text, bufferSize);
        var lines = new List<string>();
        while (reader.TryReadLine(true, out var line))
        {
            lines.Add(line);
        }

        return lines;
    }
}
