using System.Text;
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
