using System.Text;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Rescue;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Records.Formatting;

/// <summary>A string known to be plain text is formatted without a search for escapes, to the same output.</summary>
public sealed class PlainTextValueTests
{
    private static readonly char[] PlainChars =
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not '"' and not '\\')];

    [Theory]
    [InlineData("kv")]
    [InlineData("json")]
    [InlineData("proto-text")]
    public void Every_formatter_writes_a_plain_string_exactly_as_the_same_unmarked_string(string format)
    {
        var formatter = RecordFormatters.ForName(format);
        var random = new Random(20261203);
        for (var i = 0; i < 500; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => PlainChars[random.Next(PlainChars.Length)])]);
            var chars = ("<" + text + ">").ToCharArray();
            var plain = Value.PlainString(chars, 1, text.Length);
            var unmarked = Value.String(chars, 1, text.Length);

            plain.IsPlainText.Should().BeTrue();
            unmarked.IsPlainText.Should().BeFalse();
            plain.Should().Be(unmarked, "the mark is not part of the value");
            Format(formatter, plain).Should().Be(Format(formatter, unmarked), text);
        }
    }

    [Fact]
    public void The_rescue_decoders_fast_path_marks_the_strings_it_checked_and_the_json_reader_marks_none()
    {
        var record = new Record();
        record.Add("msg", Value.String("GET /index.html HTTP/1.1"));
        record.Add("sip", Value.Ip("10.0.0.1"));
        using var buffer = new PooledByteBuffer();
        RescueEntryCodec.Encode(record, buffer);
        var line = buffer.WrittenSpan.ToArray();

        RescueEntryCodec.TryDecodePlainOnly(line, out var fast).Should().BeTrue(Encoding.ASCII.GetString(line));
        RescueEntryCodec.TryDecodeWithReader(line, out var read, out _).Should().BeTrue();

        fast!.Find("msg")!.Value.Value.IsPlainText.Should().BeTrue();
        read!.Find("msg")!.Value.Value.IsPlainText.Should().BeFalse();
        fast.Find("msg")!.Value.Value.Should().Be(read.Find("msg")!.Value.Value);
    }

    private static string Format(IRecordFormatter formatter, Value value)
    {
        var record = new Record();
        record.Add("s", value);
        using var output = new TextBuffer();
        formatter.Format(record, output);
        return output.ToString();
    }
}
