using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

[Collection(E2eCollection.Name)]
public sealed class WparseDaemonTests
{
    [Theory]
    [InlineData(10)] // SIGUSR1 on Linux
    [InlineData(ToolProcess.SigInt)]
    [InlineData(ToolProcess.SigTerm)]
    public async Task Daemon_follows_appended_lines_and_flushes_everything_on_a_stop_signal(int signal)
    {
        using var root = new UsecaseCopy();
        // Batches that never time out: only the graceful stop can write the last records.
        root.Edit("sink/business.d/example.toml", "oml  = [\"example\"]", "oml  = [\"example\"]\nbatch_size = 100000\nbatch_timeout_ms = 600000");
        var nginx = File.ReadAllText(root.PathOf("models/wpl/example/sample.dat"));
        File.WriteAllText(root.PathOf("data/in_dat/gen.dat").EnsureFolder(), Repeat(nginx, 100));

        using var daemon = ToolProcess.Start("wparse", root.Root, ["daemon", "--stat", "1", "-p", "--speed-limit", "0"]);
        await Eventually.Async(() => daemon.StdOut.Contains("file_1") && PickTotal(daemon.StdOut) == 100, daemon);
        File.AppendAllText(root.PathOf("data/in_dat/gen.dat"), Repeat(nginx, 250));
        await Eventually.Async(() => PickTotal(daemon.StdOut) == 350, daemon);
        root.Lines("data/out_dat/example_1.dat").Should().BeEmpty("batches are held until the stop");

        daemon.Signal(signal);
        var code = await daemon.WaitAsync(TimeSpan.FromSeconds(30));

        code.Should().Be(0, daemon.StdErr);
        root.Lines("data/out_dat/example_1.dat").Should().HaveCount(350);
        root.Lines("data/out_dat/example_2.dat").Should().HaveCount(350);
    }

    private static string Repeat(string line, int count) => string.Concat(Enumerable.Repeat(line, count));

    /// <summary>The pick total of the last printed stat window, or -1.</summary>
    private static long PickTotal(string stdout)
    {
        var rows = stdout.Split('\n').Where(l => l.StartsWith("pick ", StringComparison.Ordinal) && l.Contains("file_1", StringComparison.Ordinal)).ToList();
        if (rows.Count == 0)
        {
            return -1;
        }

        var cells = rows[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(cells[3].Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }
}
