using System.Text;
using Wp.Core.Sources.Net;

namespace Wp.Core.Tests.Sources.Net;

public sealed class FrameReaderTests
{
    private static List<string> Read(FrameReader reader, params string[] chunks)
    {
        var messages = new List<string>();
        foreach (var chunk in chunks)
        {
            reader.Push(Encoding.UTF8.GetBytes(chunk), m => messages.Add(Encoding.UTF8.GetString(m)));
        }

        reader.Finish(m => messages.Add(Encoding.UTF8.GetString(m)));
        return messages;
    }

    [Fact]
    public void Newline_frames_are_split_across_reads_and_a_last_unterminated_line_is_kept()
    {
        using var reader = new FrameReader(1024, Framing.Auto);

        Read(reader, "<13>1 a\n<13>1 b", "b\r\n<1", "3>1 c").Should().Equal("<13>1 a", "<13>1 bb\r", "<13>1 c");
        reader.Framing.Should().Be(Framing.Newline);
    }

    [Fact]
    public void Octet_counted_frames_are_detected_from_the_first_byte_and_may_hold_newlines()
    {
        using var reader = new FrameReader(1024, Framing.Auto);

        Read(reader, "5 <he", "lo10 <wo\nlines!", "\n3 end").Should().Equal("<helo", "<wo\nlines!", "end");
        reader.Framing.Should().Be(Framing.OctetCounting);
    }

    [Fact]
    public void A_newline_frame_longer_than_the_maximum_is_cut_once_and_the_connection_keeps_working()
    {
        using var reader = new FrameReader(16, Framing.Auto);
        var big = new string('x', 100);

        Read(reader, "a\n" + big[..40], big[40..] + "\nb\n").Should().Equal("a", new string('x', 16), "b");
        reader.Cut.Should().Be(1);
    }

    [Fact]
    public void An_octet_counted_frame_longer_than_the_maximum_is_cut_and_its_rest_skipped()
    {
        using var reader = new FrameReader(16, Framing.Auto);
        var big = new string('y', 100);

        Read(reader, "1 <100 " + big[..10], big[10..70], big[70..] + "2 ok").Should().Equal("<", new string('y', 16), "ok");
        reader.Cut.Should().Be(1);
    }

    [Fact]
    public void An_octet_frame_without_a_valid_length_falls_back_to_newlines()
    {
        using var reader = new FrameReader(1024, Framing.Auto);

        Read(reader, "3 <bc12x oops\nnext\n").Should().Equal("<bc", "12x oops", "next");
        reader.FellBackToNewline.Should().BeTrue();
    }

    [Theory]
    [InlineData("0 zero\n1 one\n")]
    [InlineData("12 apples\n")]
    [InlineData("12")]
    public void Auto_framing_reads_plain_lines_that_start_with_a_number_as_lines(string text)
    {
        using var reader = new FrameReader(1024, Framing.Auto);

        Read(reader, text).Should().Equal(text.TrimEnd('\n').Split('\n'));
        reader.Framing.Should().Be(Framing.Newline);
    }

    [Fact]
    public void Forced_newline_framing_reads_lines_that_start_with_digits()
    {
        using var reader = new FrameReader(1024, Framing.Newline);

        Read(reader, "12 apples\n").Should().Equal("12 apples");
    }
}
