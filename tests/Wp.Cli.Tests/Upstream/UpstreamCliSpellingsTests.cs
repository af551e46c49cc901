using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Upstream;

/// <summary>WarpParse's command-line spellings parse and act; anything else still fails with exit 2.</summary>
[Collection(E2eCollection.Name)]
public sealed class UpstreamCliSpellingsTests
{
    [Fact]
    public async Task Upstream_commands_and_flags_run_on_an_initialised_root()
    {
        using var root = new UpstreamWorkRoot("getting_started");
        (await Run("wproj", root, "init", "--mode", "normal")).ExitCode.Should().Be(0);

        var steps = new[]
        {
            new[] { "wpgen", "conf", "clean" },
            ["wpgen", "conf", "check"],
            ["wpgen", "conf", "init"],
            ["wpgen", "sample", "--line-cnt", "30", "--gen-speed", "0", "--print_stat", "--stat", "1"],
            ["wparse", "batch", "-S", "1", "-s", "2", "--print_stat", "-n", "30", "--stat", "1"],
            ["wparse", "batch", "--check-stop", "1", "--stat-print", "--max-line", "30", "--parse-workers", "3", "--wpl", "./models/wpl"],
            ["wproj", "data", "stat"],
            ["wproj", "data", "validate", "--input-cnt", "30"],
            ["wpadm", "data", "stat"],
            ["wprescue", "batch", "--stat", "100", "--print_stat"],
            ["wproj", "init", "--mode", "model"],
        };
        foreach (var step in steps)
        {
            var result = await Run(step[0], root, step[1..]);
            result.ExitCode.Should().Be(0, $"{string.Join(' ', step)}:\n{result}");
        }

        File.Exists(root.PathOf("conf/wpgen.toml")).Should().BeTrue();
        File.ReadAllLines(root.PathOf("data/out_dat/example.dat")).Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("wparse", new[] { "batch", "--check_stop", "1" })]
    [InlineData("wparse", new[] { "batch", "-S" })]
    [InlineData("wparse", new[] { "batch", "-S", "x" })]
    [InlineData("wparse", new[] { "batch", "--parse-workers", "0" })]
    [InlineData("wpgen", new[] { "conf", "purge" })]
    [InlineData("wproj", new[] { "init", "--mode", "everything" })]
    [InlineData("wproj", new[] { "data", "stat", "--bogus" })]
    public async Task Unknown_spellings_still_fail_with_exit_2(string tool, string[] args)
    {
        using var root = new UpstreamWorkRoot("getting_started");

        var result = await Run(tool, root, args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.StdErr.Should().Contain($"Try '{tool} --help'.");
    }

    private static Task<ToolResult> Run(string tool, UpstreamWorkRoot root, params string[] args) =>
        ToolProcess.RunAsync(tool, root.Root, args);
}
