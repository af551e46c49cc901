using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Wp.Core.Pipeline;
using Wp.Core.Sources;
using Wp.Core.Sources.Files;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Sources;

public sealed class FileSourceTests
{
    [Fact]
    public async Task Batch_mode_reads_every_line_and_stops_at_end_of_file()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 2500).Select(i => "line " + i));
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = new FileSource("src", path, new SpeedLimiter(0, TimeProvider.System), new LineBudget(0), TimeProvider.System);

        await source.RunAsync(output.Writer, follow: false, CancellationToken.None);
        output.Writer.Complete();

        var lines = new List<string>();
        await foreach (var batch in output.Reader.ReadAllAsync())
        {
            lines.AddRange(batch.Lines.Take(batch.Count));
        }

        lines.Should().Equal(Enumerable.Range(0, 2500).Select(i => "line " + i));
        source.Counters.Lines.Should().Be(2500);
    }

    [Fact]
    public async Task Max_lines_stops_reading_after_the_budget()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 100).Select(i => "line " + i));
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = new FileSource("src", path, new SpeedLimiter(0, TimeProvider.System), new LineBudget(30), TimeProvider.System);

        await source.RunAsync(output.Writer, follow: false, CancellationToken.None);

        source.Counters.Lines.Should().Be(30);
    }

    [Fact]
    public async Task Under_a_speed_limit_lines_already_read_are_handed_over_instead_of_waiting_for_a_full_batch()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 50).Select(i => "line " + i));
        var clock = new FakeTimeProvider();
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = new FileSource("src", path, new SpeedLimiter(10, clock), new LineBudget(0), clock);
        using var stop = new CancellationTokenSource();

        var run = source.RunAsync(output.Writer, follow: true, stop.Token);
        var first = await output.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        first.Count.Should().Be(1, "only one line may pass at time zero, and it must not wait for 1023 more");
        await stop.CancelAsync();
        await run;
    }
}
