using System.Diagnostics;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wpgen;

[Collection(E2eCollection.Name)]
public sealed class WpgenRuleTests
{
    [Fact]
    public async Task Every_rule_generated_line_is_parsed_and_routed_to_its_business_sink()
    {
        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();

        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["rule", "-n", "3000"]);
        gen.ExitCode.Should().Be(0, gen.ToString());
        root.Lines("data/in_dat/gen.dat").Should().HaveCount(3000);
        gen.StdOut.Should().Contain("wpgen total").And.Contain("/sys/benchmark_1").And.Contain("/example/nginx");

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"]);
        run.ExitCode.Should().Be(0, run.ToString());

        root.Lines("data/out_dat/miss.dat").Should().BeEmpty();
        root.Lines("data/out_dat/residue.dat").Should().BeEmpty();
        root.Lines("data/out_dat/default.dat").Should().BeEmpty();
        var benchmark = root.Lines("data/out_dat/benchmark.dat");
        var example = root.Lines("data/out_dat/example_1.dat");
        benchmark.Should().HaveCount(2000, "rules take turns: benchmark_1, benchmark_2, nginx");
        example.Should().HaveCount(1000);
        root.Lines("data/out_dat/example_2.dat").Should().HaveCount(1000);
        (benchmark.Length + example.Length).Should().Be(3000, "the business outputs hold every generated record");
        example.Should().OnlyContain(line => line.StartsWith("sip: 192.168.1.", StringComparison.Ordinal), "gen_field.toml sets sip's range");
    }

    [Fact]
    public async Task The_same_seed_writes_the_same_file_and_another_seed_another()
    {
        using var root = new UsecaseCopy();

        async Task<string> Generate(params string[] args)
        {
            var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["rule", "-n", "500", .. args]);
            gen.ExitCode.Should().Be(0, gen.ToString());
            return File.ReadAllText(root.PathOf("data/in_dat/gen.dat"));
        }

        var first = await Generate();

        (await Generate()).Should().Be(first, "the default seed is fixed");
        (await Generate("--seed", "1")).Should().Be(first, "the default seed is 1");
        (await Generate("--seed", "2")).Should().NotBe(first);
    }

    [Fact]
    public async Task Speed_caps_the_rate()
    {
        using var root = new UsecaseCopy();
        var clock = Stopwatch.StartNew();

        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["rule", "-n", "300", "-s", "500"]);

        gen.ExitCode.Should().Be(0, gen.ToString());
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(500), "300 lines at 500 lines/s take about 0.6 s");
        root.Lines("data/in_dat/gen.dat").Should().HaveCount(300);
    }

    [Fact]
    public async Task Without_gen_rule_files_it_exits_3_naming_the_folder()
    {
        using var root = new UsecaseCopy();
        foreach (var file in Directory.GetFiles(root.PathOf("models/wpl"), "gen_rule.wpl", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["rule", "-n", "10"]);

        gen.ExitCode.Should().Be(3, gen.ToString());
        gen.StdErr.Should().Contain(Path.Combine("models", "wpl")).And.Contain("no gen_rule.wpl");
    }

    [Fact]
    public async Task A_bad_gen_field_toml_exits_3_naming_file_and_line()
    {
        using var root = new UsecaseCopy();
        root.Edit("models/wpl/benchmark/gen_field.toml", "range = [64, 1500]", "range = [64, 1500]\nstep = 2");

        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["rule", "-n", "10"]);

        gen.ExitCode.Should().Be(3, gen.ToString());
        gen.StdErr.Should().MatchRegex(@"benchmark/gen_field\.toml:\d+:\d+: unknown key 'step' in \[fields\.len\]");
    }
}
