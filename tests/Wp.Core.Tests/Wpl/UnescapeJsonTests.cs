using Wp.Core.Wpl;

namespace Wp.Core.Tests.Wpl;

/// <summary>The one JSON-escape decoder behind json values, the json_unescape pipe and unquote/unescape.</summary>
public sealed class UnescapeJsonTests
{
    [Theory]
    [InlineData(@"plain", "plain")]
    [InlineData(@"a\nb\tc\rd", "a\nb\tc\rd")]
    [InlineData(@"\b\f", "\b\f")]
    [InlineData(@"\""q\"" \\ \/", "\"q\" \\ /")]
    [InlineData(@"\u00e9\u4e2d", "é中")]
    [InlineData(@"\u12", "u12")]
    [InlineData(@"\x", "x")]
    [InlineData(@"end\", "end\\")]
    public void Decodes_json_escapes(string escaped, string expected) =>
        WplScan.UnescapeJson(escaped).Should().Be(expected);
}
