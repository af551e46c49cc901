using System.Globalization;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class TextEscapingTests
{
    public static TheoryData<DateTime> Times() =>
    [
        new DateTime(1, 1, 1),
        new DateTime(2019, 8, 6, 12, 12, 19, 999),
        new DateTime(2024, 2, 29, 23, 59, 59),
        DateTime.MaxValue,
    ];

    [Theory]
    [MemberData(nameof(Times))]
    public void A_datetime_is_written_the_same_as_chars_and_as_utf8_bytes_and_as_the_format_string_says(DateTime time)
    {
        var expected = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        using var text = new TextBuffer(4);
        TextEscaping.AppendDateTime(text, time);
        text.ToString().Should().Be(expected);

        var bytes = new byte[TextEscaping.DateTimeLength + 1];
        TextEscaping.WriteDateTime(bytes.AsSpan(), time);
        Encoding.ASCII.GetString(bytes, 0, TextEscaping.DateTimeLength).Should().Be(expected);
        bytes[^1].Should().Be(0, "nothing is written past the datetime");
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("\"", "\"\\\"\"")]
    [InlineData("tab\tand\u0001end\n", "\"tab\\tand\\x01end\\n\"")]
    public void Quoting_escapes_every_special_char_wherever_it_is(string value, string quoted)
    {
        using var text = new TextBuffer(1); // tiny: every append grows it
        TextEscaping.AppendQuoted(text, value);
        text.ToString().Should().Be(quoted);
    }
}
