using Wp.Core.Routing;

namespace Wp.Core.Tests.Routing;

public class GlobPatternTests
{
    [Theory]
    [InlineData("/sys/*", "/sys/benchmark_1", true)]
    [InlineData("/sys/*", "/sys/a/b", true)]
    [InlineData("*", "/anything/at/all", true)]
    [InlineData("/sys/*", "/example/nginx", false)]
    [InlineData("/sys/benchmark_1", "/sys/benchmark_1", true)]
    [InlineData("/sys/benchmark_1", "/sys/benchmark_10", false)]
    [InlineData("/*/nginx", "/example/web/nginx", true)]
    [InlineData("/*_1", "/sys/benchmark_1", true)]
    [InlineData("/*_1", "/sys/benchmark_2", false)]
    [InlineData("*a*b*", "xaxxbx", true)]
    [InlineData("*a*b", "xaxxbx", false)]
    [InlineData("", "", true)]
    [InlineData("", "/x", false)]
    [InlineData("/SYS/*", "/sys/x", false)]
    public void Star_matches_any_characters_including_slashes(string pattern, string path, bool expected) =>
        GlobPattern.IsMatch(pattern, path).Should().Be(expected);
}
