using System.Text.Json;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wproj;

/// <summary>wproj as a process (SPEC §11, §13): exit codes, help, and a validate after a real run.</summary>
[Collection(E2eCollection.Name)]
public sealed class WprojTests
{
    public static TheoryData<string> Commands() =>
    [
        "", "init", "check", "data", "data clean", "data stat", "data stat file", "data stat src-file", "data stat sink-file",
        "data validate", "data validate sink-file", "stat", "stat file", "stat src-file", "stat sink-file",
        "validate", "validate sink-file", "rescue", "rescue stat", "rule", "rule test",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_works_for_every_command(string command)
    {
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--help");

        var run = await ToolProcess.RunAsync("wproj", Path.GetTempPath(), args);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().Contain("Usage:").And.Contain("wproj " + command);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var run = await ToolProcess.RunAsync("wproj", Path.GetTempPath(), ["stats", "file"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.StdErr.Should().Contain("Try 'wproj --help'.");
    }

    [Fact]
    public async Task Check_exits_0_on_the_usecase()
    {
        using var root = new UsecaseCopy();

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["check"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().Contain("check: PASS");
    }

    [Fact]
    public async Task Check_exits_4_on_a_broken_copy_and_names_the_problem_on_stderr()
    {
        using var root = new UsecaseCopy();
        root.Edit("sink/business.d/benchmark.toml", "connect = \"file_rescue_sink\"", "connect = \"kafka_sink\"");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["check", "--work-root", root.Root]);

        run.ExitCode.Should().Be(4, run.ToString());
        run.StdOut.Should().Contain("sink/business.d/benchmark.toml:10:1").And.Contain("check: FAIL (1 problem)");
        run.StdErr.Should().StartWith("wproj check: 1 problem; first: sink/business.d/benchmark.toml:10:1: unknown connector 'kafka_sink'");
    }

    [Fact]
    public async Task Init_then_check_passes_in_an_empty_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wp-e2e", "init-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var init = await ToolProcess.RunAsync("wproj", Path.GetTempPath(), ["init", "-w", folder]);
            var check = await ToolProcess.RunAsync("wproj", Path.GetTempPath(), ["check", "-w", folder]);

            init.ExitCode.Should().Be(0, init.ToString());
            check.ExitCode.Should().Be(0, check.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Validate_exits_0_after_a_real_run_of_the_usecase()
    {
        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();
        (await ToolProcess.RunAsync("wpgen", root.Root, ["sample", "-n", "3000"])).ExitCode.Should().Be(0);
        var parse = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"]);
        parse.ExitCode.Should().Be(0, parse.ToString());

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["validate", "sink-file", "-v"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().StartWith("validate: PASS\ntotal_input: 3000 lines (enabled sources)\n");
        run.StdOut.Should().MatchRegex(@"benchmark\s+benchmark_file_sink\s+2000\s+3000\s+0\.6667\s+0\.66±0\.02\s+pass");
        run.StdOut.Should().NotContain("\u001b[", "redirected output is never coloured");
    }

    [Fact]
    public async Task Validate_exits_4_when_an_error_mode_expectation_fails()
    {
        using var root = new UsecaseCopy();
        root.Write("data/in_dat/gen.dat", Lines(1000));
        root.Write("data/out_dat/benchmark.dat", Lines(100));
        root.Write("data/out_dat/example_1.dat", Lines(330));
        root.Write("data/out_dat/example_2.dat", Lines(330));

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["data", "validate", "sink-file"]);

        run.ExitCode.Should().Be(4, run.ToString());
        run.StdOut.Should().StartWith("validate: FAIL (1)\n");
        run.StdErr.Should().Be("wproj validate: 1 expectation failed; first: benchmark_file_sink (benchmark): share 0.1 outside 0.66±0.02 (100/1000 lines)\n");
    }

    [Fact]
    public async Task Validate_json_and_stat_json_parse_and_are_never_coloured()
    {
        using var root = new UsecaseCopy();
        root.Write("data/in_dat/gen.dat", Lines(1000));
        root.Write("data/out_dat/benchmark.dat", Lines(660));
        var noColorUnset = new Dictionary<string, string> { ["NO_COLOR"] = "" };

        var validate = await ToolProcess.RunAsync("wproj", root.Root, ["validate", "sink-file", "--json"], env: noColorUnset);
        var stat = await ToolProcess.RunAsync("wproj", root.Root, ["stat", "file", "--json"], env: noColorUnset);
        var table = await ToolProcess.RunAsync("wproj", root.Root, ["stat", "file"], env: noColorUnset);

        validate.ExitCode.Should().Be(4, "the example sinks are missing: 0 lines against 0.33±0.01");
        using var v = JsonDocument.Parse(validate.StdOut);
        v.RootElement.GetProperty("result").GetString().Should().Be("FAIL");
        stat.ExitCode.Should().Be(0, stat.ToString());
        using var s = JsonDocument.Parse(stat.StdOut);
        s.RootElement.GetProperty("totals").GetProperty("source_lines").GetInt64().Should().Be(1000);
        table.StdOut.Should().NotContain("\u001b[");
        table.StdOut.Split('\n').Should().OnlyContain(l => l.Length <= 80);
    }

    [Fact]
    public async Task A_configuration_error_exits_3()
    {
        using var root = new UsecaseCopy();
        root.Edit("conf/wparse.toml", "parse_workers = 2", "parse_workers = 2\nworkers = 3");

        var run = await ToolProcess.RunAsync("wproj", root.Root, ["stat", "file"]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.StdErr.Should().Contain("unknown key 'workers'");
    }

    [Fact]
    public async Task Rescue_stat_and_data_clean_run_on_the_usecase()
    {
        using var root = new UsecaseCopy();
        root.Write("data/rescue/benchmark_file_sink-2026-01-02_03:04:05.dat", "{}\n");
        root.Write("data/out_dat/benchmark.dat", Lines(5));

        var stat = await ToolProcess.RunAsync("wproj", root.Root, ["rescue", "stat"]);
        var clean = await ToolProcess.RunAsync("wproj", root.Root, ["data", "clean"]);

        stat.ExitCode.Should().Be(0, stat.ToString());
        stat.StdOut.Should().Contain("sealed      1      3  benchmark_file_sink-2026-01-02_03:04:05.dat");
        clean.ExitCode.Should().Be(0, clean.ToString());
        File.Exists(root.PathOf("data/out_dat/benchmark.dat")).Should().BeFalse();
        File.Exists(root.PathOf("data/rescue/benchmark_file_sink-2026-01-02_03:04:05.dat")).Should().BeTrue();
    }

    private static string Lines(int count) => string.Concat(Enumerable.Repeat("x\n", count));
}
