using System.Text;
using System.Text.RegularExpressions;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

[Collection(E2eCollection.Name)]
public sealed partial class WparseBatchTests
{
    [Fact]
    public async Task Batch_on_the_usecase_routes_every_generated_line_to_its_sink_in_kv()
    {
        using var root = new UsecaseCopy();
        root.UsePlainFileSinks();

        var gen = await ToolProcess.RunAsync("wpgen", root.Root, ["sample", "-n", "10000"]);
        gen.ExitCode.Should().Be(0, gen.ToString());
        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"]);
        run.ExitCode.Should().Be(0, run.ToString());

        root.Lines("data/out_dat/benchmark.dat").Should().HaveCount(6667);
        root.Lines("data/out_dat/example_1.dat").Should().HaveCount(3333);
        root.Lines("data/out_dat/example_2.dat").Should().HaveCount(3333);
        root.Lines("data/out_dat/miss.dat").Should().BeEmpty();
        root.Lines("data/out_dat/residue.dat").Should().BeEmpty();
        root.Lines("data/out_dat/default.dat").Should().BeEmpty();
        root.Lines("data/out_dat/benchmark.dat").Concat(root.Lines("data/out_dat/example_1.dat"))
            .Should().OnlyContain(line => KvLine().IsMatch(line));
        run.StdOut.Should().Contain("wparse total");
    }

    [Fact]
    public async Task Garbage_input_goes_to_miss_or_is_counted_and_nothing_crashes()
    {
        using var root = new UsecaseCopy();
        var nginx = File.ReadAllText(root.PathOf("models/wpl/example/sample.dat")).TrimEnd('\n');
        using (var file = File.Create(root.PathOf("data/in_dat/gen.dat").EnsureFolder()))
        {
            void Line(byte[] bytes)
            {
                file.Write(bytes);
                file.WriteByte((byte)'\n');
            }

            Line(Encoding.UTF8.GetBytes(nginx));
            Line([0x00, 0x01, 0xFF, 0xFE, 0x80, 0x7F]);              // binary
            Line([0x61, 0xC3, 0x28, 0x62]);                          // invalid UTF-8
            Line(Encoding.ASCII.GetBytes(new string('x', 1 << 20))); // 1 MB line
            Line([]);                                                // empty
            Line(Encoding.ASCII.GetBytes("   \t "));                 // blank
            Line(Encoding.UTF8.GetBytes(nginx));
        }

        var run = await ToolProcess.RunAsync("wparse", root.Root, ["batch", "--speed-limit", "0"]);

        run.ExitCode.Should().Be(0, run.ToString());
        root.Lines("data/out_dat/example_1.dat").Should().HaveCount(2);
        root.Lines("data/out_dat/miss.dat").Should().HaveCount(3);
        run.StdOut.Should().MatchRegex(@"parse\s+blank\s+dropped\s+7\s+2\b");
    }

    [Fact]
    public async Task A_bad_work_root_exits_3_naming_the_missing_file()
    {
        var empty = Directory.CreateTempSubdirectory("wp-e2e-empty").FullName;

        var run = await ToolProcess.RunAsync("wparse", empty, ["batch"]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.StdErr.Should().Contain("wparse.toml");
        Directory.Delete(empty, true);
    }

    [Fact]
    public async Task An_unknown_flag_is_a_usage_error()
    {
        var run = await ToolProcess.RunAsync("wparse", Path.GetTempPath(), ["batch", "--no-such-flag"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.StdErr.Should().Contain("--no-such-flag");
    }

    [GeneratedRegex(@"^[\w\-/\[\]]+: .*(, [\w\-/\[\]]+: .*)*$")]
    private static partial Regex KvLine();
}
