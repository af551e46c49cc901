using System.Diagnostics;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Trust;

/// <summary>
/// Issue 12, end to end on the published tools: what check refuses never runs, nothing prints a stack
/// trace, option errors are human, nothing escapes rescue_root. Each case is one short process run.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class OperatorTrustTests
{
    /// <summary>Configs that used to run (exit 0 losing data, or a stack trace): now exit 3 naming file and line.</summary>
    public static TheoryData<string, string, string, string> RefusedConfigs => new()
    {
        { "sink_root typo", "conf/wparse.toml", "sink_root     = \"./sink\"", "sink_root     = \"./snik\"" },
        { "oml name typo", "sink/business.d/example.toml", "oml  = [\"example\"]", "oml  = [\"exmaple\"]" },
        { "tolerant infra group", "sink/infra.d/miss.toml", "name = \"miss\"", "name = \"miss\"\non_error = \"tolerant\"" },
        { "huge stat window", "conf/wparse.toml", "window_sec = 60", "window_sec = 4320000" },
        { "huge idle exit", "conf/wparse.toml", "idle_exit_sec          = 3", "idle_exit_sec          = 1e300" },
    };

    [Theory]
    [MemberData(nameof(RefusedConfigs))]
    public async Task Wparse_and_wprescue_refuse_what_check_fails_with_exit_3_before_reading_input(string why, string file, string find, string replace)
    {
        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();
        root.Edit(file, find, replace);
        root.Write("data/in_dat/gen.dat", File.ReadAllText(root.PathOf("models/wpl/example/sample.dat")));

        var check = await ToolProcess.RunAsync("wproj", root.Root, ["check"]);
        var parse = await ToolProcess.RunAsync("wparse", root.Root, ["batch"]);
        var rescue = await ToolProcess.RunAsync("wprescue", root.Root, ["batch"]);

        check.ExitCode.Should().Be(4, why);
        parse.ExitCode.Should().Be(3, $"{why}: {parse}");
        rescue.ExitCode.Should().Be(3, $"{why}: {rescue}");
        parse.StdErr.Should().Contain(file + ":").And.NotContain("   at ");
        rescue.StdErr.Should().NotContain("   at ");
        Directory.Exists(root.PathOf("data/out_dat")).Should().BeFalse($"{why}: nothing was read or written");
    }

    [Theory]
    [InlineData("wparse", new[] { "batch", "--stat", "abc" }, "--stat: 'abc' is not a whole number of seconds")]
    [InlineData("wparse", new[] { "batch", "--stat", "-1" }, "--stat: '-1' is not")]
    [InlineData("wparse", new[] { "batch", "--speed-limit", "-1" }, "--speed-limit: '-1' is not")]
    [InlineData("wparse", new[] { "batch", "-n", "-1" }, "--max-line: '-1' is not")]
    [InlineData("wprescue", new[] { "batch", "--speed-limit", "-5" }, "--speed-limit: '-5' is not")]
    [InlineData("wpgen", new[] { "sample", "-n", "-1" }, "--count: '-1' is not")]
    public async Task Negative_or_garbage_numbers_exit_2_with_a_human_message(string tool, string[] args, string message)
    {
        var run = await ToolProcess.RunAsync(tool, Path.GetTempPath(), args);

        run.ExitCode.Should().Be(2, run.ToString());
        run.StdErr.Should().Contain(message).And.NotContain("System.");
    }

    [Fact]
    public async Task Work_root_works_before_the_command_and_the_dropped_count_of_a_missing_infra_group_is_in_the_final_table()
    {
        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();
        File.Delete(root.PathOf("sink/infra.d/miss.toml"));
        root.Write("data/in_dat/gen.dat", "no rule reads this\nnor this\n");

        var run = await ToolProcess.RunAsync("wparse", Path.GetTempPath(), ["-w", root.Root, "batch"]);
        var json = await ToolProcess.RunAsync("wproj", Path.GetTempPath(), ["--work-root", root.Root, "check", "--json"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().MatchRegex(@"sink\s+miss\s+dropped: no group file\s+2\s+0");
        json.ExitCode.Should().Be(0, json.ToString());
        json.StdOut.Should().Contain("\"result\": \"pass\"").And.Contain("\"items\": [");
    }

    [Fact]
    public async Task Wprescue_skips_a_fifo_and_a_symlink_named_like_rescue_files_and_touches_nothing_outside()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // FIFOs and symlinks: Unix only
        }

        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();
        var rescue = root.PathOf("data/rescue");
        Directory.CreateDirectory(rescue);
        var outside = root.PathOf("outside.txt");
        File.WriteAllText(outside, "precious\n");
        File.CreateSymbolicLink(Path.Combine(rescue, "benchmark_file_sink-2025-10-04_01:00:00.dat.lock"), outside);
        File.CreateSymbolicLink(Path.Combine(rescue, "benchmark_file_sink-2025-10-04_01:00:01.dat"), outside);
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(rescue, "benchmark_file_sink-2025-10-04_01:00:02.dat")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(rescue, "benchmark_file_sink-2025-10-04_01:00:03.dat.lock")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var run = await ToolProcess.RunAsync("wprescue", root.Root, ["batch"], TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(5, run.ToString());
        File.ReadAllText(outside).Should().Be("precious\n");
        Directory.Exists(Path.Combine(rescue, "bad")).Should().BeFalse();
        run.StdErr.Should().Contain("recover skip").And.NotContain("   at ");
    }
}
