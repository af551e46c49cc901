using System.Text.RegularExpressions;
using FluentAssertions;
using Wp.Core.Hosting;
using Xunit;

namespace Wp.Core.Tests.Hosting;

public class GcSummaryTests
{
    [Fact]
    public void Describes_the_collections_pauses_and_allocation_so_far()
    {
        GC.Collect();
        var text = GcSummary.Describe();

        var m = Regex.Match(text, @"^gc: (\d+)/(\d+)/(\d+) collections \(gen0/1/2\), \d+\.\d{3} s paused, (\d+) MiB allocated$");
        m.Success.Should().BeTrue(text);
        long.Parse(m.Groups[3].Value).Should().BeGreaterThan(0, "a full collection just ran");
        long.Parse(m.Groups[1].Value).Should().BeGreaterThanOrEqualTo(long.Parse(m.Groups[3].Value), "every collection counts in gen0");
    }
}
