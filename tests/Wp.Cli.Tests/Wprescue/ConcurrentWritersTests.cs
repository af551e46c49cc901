using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wprescue;

/// <summary>
/// wprescue replaying into a sink while wparse writes the same file (a daemon keeps parsing during
/// recovery): both processes' batches land whole, none overwrites another.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class ConcurrentWritersTests
{
    [Fact]
    public async Task Wparse_and_wprescue_appending_to_one_target_at_once_lose_and_corrupt_nothing()
    {
        using var rescue = new RescueCase();
        var replayed = RescueCase.Records(0, 150_000).ToList();
        rescue.WriteRescueFile(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), replayed);
        var gen = await ToolProcess.RunAsync("wpgen", rescue.Root.Root, ["sample", "-n", "60000"]);
        gen.ExitCode.Should().Be(0, gen.ToString());

        using var wparse = ToolProcess.Start("wparse", rescue.Root.Root, ["batch", "--speed-limit", "40000"]);
        var replay = await rescue.WprescueAsync(["batch", "--speed-limit", "0"], timeout: TimeSpan.FromMinutes(2));
        var parsed = await wparse.WaitAsync(TimeSpan.FromMinutes(2));

        replay.ExitCode.Should().Be(0, replay.ToString());
        parsed.Should().Be(0, wparse.StdErr);
        var lines = rescue.TargetLines();
        var fromRescue = RescueCase.KvLines(replayed).ToHashSet(StringComparer.Ordinal);
        lines.Count(fromRescue.Contains).Should().Be(150_000, "every replayed record arrives once and whole");
        var others = lines.Where(l => !fromRescue.Contains(l)).ToList();
        others.Should().HaveCount(40_000, "wparse writes two benchmark records of every three lines");
        others.Should().OnlyContain(l => (l.StartsWith("id: ", StringComparison.Ordinal) || l.StartsWith("src-ip: ", StringComparison.Ordinal))
            && l.EndsWith("wp_src_key: \"file_1\"", StringComparison.Ordinal));
    }
}
