using System.CommandLine;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;
using Wp.Core.Recovery;
using Wp.Core.Tests.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Hosting;

/// <summary>Issue 12: no stack traces, human option errors, -w anywhere, one meaning per option name.</summary>
public sealed class CliHostTests
{
    [Fact]
    public async Task An_unexpected_exception_is_one_line_naming_the_log_file_and_exit_1()
    {
        using var root = TempWorkRoot.Create().Initialised();
        using var stderr = new StringWriter();

        var code = await CliHost.RunAsync("wparse", () => throw new FormatException("boom"), root.FullPath, stderr);

        code.Should().Be(ExitCodes.RuntimeFailure);
        var log = root.PathOf("logs/wparse.log");
        stderr.ToString().Should().Be($"wparse: unexpected error: FormatException: boom; details in {log}{Environment.NewLine}");
        File.ReadAllText(log).Should().Contain("System.FormatException: boom").And.Contain(" at ");
    }

    [Theory]
    [InlineData(new[] { "-w", "X", "batch" }, new[] { "batch", "-w", "X" })]
    [InlineData(new[] { "--work-root", "X", "data", "clean", "--rescue" }, new[] { "data", "clean", "--work-root", "X", "--rescue" })]
    [InlineData(new[] { "data", "-w", "X", "clean" }, new[] { "data", "clean", "-w", "X" })]
    [InlineData(new[] { "--work-root=X", "batch", "-p" }, new[] { "batch", "--work-root=X", "-p" })]
    [InlineData(new[] { "batch", "-w", "X" }, new[] { "batch", "-w", "X" })]
    [InlineData(new[] { "-w", "X" }, new[] { "-w", "X" })]
    public void Work_root_before_the_command_is_moved_after_it(string[] args, string[] expected)
    {
        var root = new RootCommand { new Command("batch"), new Command("data") { new Command("clean") } };

        CliHost.HoistWorkRoot(root, args).Should().Equal(expected);
    }

    [Theory]
    [InlineData(new[] { "batch", "--speed-limt", "5" }, "'--speed-limt': did you mean '--speed-limit'?")]
    [InlineData(new[] { "batch", "--max-lin", "5" }, "'--max-lin': did you mean '--max-line'?")]
    [InlineData(new[] { "batch", "--jsn" }, "'--jsn': did you mean '--json'?")]
    [InlineData(new[] { "bach" }, "'bach': did you mean 'batch'?")]
    [InlineData(new[] { "data", "claen" }, "'claen': did you mean 'clean'?")]
    [InlineData(new[] { "dat", "clean" }, "'dat': did you mean 'data'?")]
    public void An_unknown_option_or_command_gets_a_did_you_mean(string[] args, string expected)
    {
        var root = new RootCommand
        {
            new Command("batch") { CommonOptions.SpeedLimit(), CommonOptions.Lines("--max-line", "lines"), new Option<bool>("--json") },
            new Command("data") { new Command("clean") },
            new Command("clean"),
        };

        var parsed = root.Parse(args);

        parsed.Errors.Should().NotBeEmpty();
        CliHost.Suggestions(parsed).Should().Equal(expected);
    }

    [Fact]
    public void A_token_close_to_nothing_gets_no_suggestion()
    {
        var root = new RootCommand { new Command("batch") { CommonOptions.SpeedLimit() } };

        CliHost.Suggestions(root.Parse(["batch", "--frobnicate"])).Should().BeEmpty();
    }

    [Theory]
    [InlineData("--speed-limit", "-1", "--speed-limit: '-1' is not a whole number of lines per second (0 = unlimited)")]
    [InlineData("--speed-limit", "fast", "--speed-limit: 'fast' is not a whole number of lines per second (0 = unlimited)")]
    [InlineData("--stat", "-1", "--stat: '-1' is not a whole number of seconds from 1 to 86400")]
    [InlineData("--stat", "abc", "--stat: 'abc' is not a whole number of seconds from 1 to 86400")]
    [InlineData("--stat", "0", "--stat: '0' is not a whole number of seconds from 1 to 86400")]
    [InlineData("--stat", "4320000", "--stat: '4320000' is not a whole number of seconds from 1 to 86400")]
    [InlineData("-n", "-1", "--max-line: '-1' is not a whole number of lines")]
    [InlineData("-n", "1e3", "--max-line: '1e3' is not a whole number of lines")]
    public void Negative_or_garbage_numbers_are_usage_errors_with_a_human_message(string option, string value, string message)
    {
        var command = new Command("batch") { CommonOptions.Stat(), CommonOptions.SpeedLimit(), CommonOptions.Lines("--max-line", "lines") };
        var root = new RootCommand { command };

        var errors = root.Parse(["batch", option, value]).Errors.Select(e => e.Message).ToList();

        errors.Should().ContainSingle().Which.Should().Be(message);
        errors.Single().Should().NotContain("System.");
    }

    [Fact]
    public void Valid_numbers_parse()
    {
        var stat = CommonOptions.Stat();
        var speed = CommonOptions.SpeedLimit("lines/s", "-s", "--speed");
        var lines = CommonOptions.Lines("--count", "lines", "--line-cnt");
        var root = new RootCommand { new Command("sample") { stat, speed, lines } };

        var parsed = root.Parse(["sample", "--stat", "5", "-s", "0", "-n", "100"]);

        parsed.Errors.Should().BeEmpty();
        parsed.GetValue(stat).Should().Be(5);
        parsed.GetValue(speed).Should().Be(0);
        parsed.GetValue(lines).Should().Be(100);
        root.Parse(["sample", "--speed", "7"]).GetValue(speed).Should().Be(7, "--speed is the same option as --speed-limit");
        root.Parse(["sample", "--speed-limit", "8"]).GetValue(speed).Should().Be(8);
    }

    [Fact]
    public void Data_clean_with_rescue_refuses_while_wprescue_holds_its_lock()
    {
        using var root = TempWorkRoot.Create().Initialised().Write("data/rescue/s-2025-10-04_01:00:00.dat", "{}\n");
        InstanceLock.TryAcquire(root.PathOf("data/rescue"), out var held, out _).Should().BeTrue();
        using var error = new StringWriter();

        int code;
        using (held)
        {
            code = DataClean.Run(root.WorkRoot, rescue: true, TextWriter.Null, error);
        }

        code.Should().Be(ExitCodes.RuntimeFailure);
        error.ToString().Should().Contain("a wprescue is running").And.Contain("nothing was deleted");
        File.Exists(root.PathOf("data/rescue/s-2025-10-04_01:00:00.dat")).Should().BeTrue();
    }
}
