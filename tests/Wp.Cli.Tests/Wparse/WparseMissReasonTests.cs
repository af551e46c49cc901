using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

/// <summary>A missed line keeps its text plus why the closest rule failed; the stat table counts misses per closest rule.</summary>
[Collection(E2eCollection.Name)]
public sealed class WparseMissReasonTests
{
    [Fact]
    public async Task The_miss_record_carries_the_reason_and_the_table_counts_it_under_the_closest_rule()
    {
        using var root = new UsecaseCopy();
        root.Write("data/in_dat/gen.dat", "10.0.0.1 - - yesterday\n");

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"]);

        run.ExitCode.Should().Be(0, run.ToString());
        root.Lines("data/out_dat/miss.dat").Should().ContainSingle()
            .Which.Should().StartWith("10.0.0.1 - - yesterday wp_miss: closest /example/nginx: field 4 'time_clf' expected '[' at column 14");
        run.StdOut.Should().MatchRegex(@"parse\s+/example/nginx\s+miss, closest\s+1\s+1\b");
    }
}
