using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Wp.Core.Records;
using Wp.Core.Sources;
using Wp.Core.Sources.Files;
using Wp.Core.Tests.Support;
using Wp.Core.Timing;

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
    public async Task Given_a_record_pool_it_decodes_lines_into_each_batchs_lease()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 600).Select(i => "line " + i));
        var output = Channel.CreateUnbounded<LineBatch>();
        var pool = new RecordPool();
        var source = new FileSource("src", path, new SpeedLimiter(0, TimeProvider.System), new LineBudget(0), TimeProvider.System, records: pool);

        await source.RunAsync(output.Writer, follow: false, CancellationToken.None);
        output.Writer.Complete();

        var lines = new List<string>();
        var leases = new List<RecordLease>();
        await foreach (var batch in output.Reader.ReadAllAsync())
        {
            leases.Add(batch.Lease!);
            batch.Lines.Should().BeEmpty("the lines are only in the lease's chars");
            for (var i = 0; i < batch.Count; i++)
            {
                batch.TryGetChars(i, out var chars, out var length).Should().BeTrue();
                lines.Add(new string(chars, 0, length));
            }
        }

        lines.Should().Equal(Enumerable.Range(0, 600).Select(i => "line " + i));
        leases.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        pool.IdleCount.Should().Be(1, "the batch left empty at the end of the file went back to the pool");
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

    [Fact]
    public async Task A_line_over_the_cap_is_split_counted_and_warned_once()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllTextAsync(path, "a\n" + new string('x', LineReader.MaxLineBytes + 10) + "\nb\n" + new string('y', LineReader.MaxLineBytes + 1) + "\n");
        var log = new LogCapture();
        var source = new FileSource("src", path, new SpeedLimiter(0, TimeProvider.System), new LineBudget(0), TimeProvider.System, log: log.Logger);

        await source.RunAsync(Channel.CreateUnbounded<LineBatch>().Writer, follow: false, CancellationToken.None);

        source.Counters.SplitLines.Should().Be(2);
        log.Messages(Serilog.Events.LogEventLevel.Warning).Should().ContainSingle().Which.Should().Contain("it was split");
    }

    [Fact]
    public async Task The_invalid_utf8_count_survives_a_reopen_of_a_followed_file()
    {
        using var dir = new TempDir();
        var path = dir.Combine("in.dat");
        await File.WriteAllBytesAsync(path, [0x61, 0xC3, 0x28, 0x0A, 0x62, 0x0A]);
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = new FileSource("src", path, new SpeedLimiter(0, TimeProvider.System), new LineBudget(0), TimeProvider.System);
        using var stop = new CancellationTokenSource();

        var run = source.RunAsync(output.Writer, follow: true, stop.Token);
        await Eventually(() => source.Counters.Lines == 2);
        await File.WriteAllBytesAsync(path, [0xFF, 0x0A]); // truncated and rewritten: reopened
        await Eventually(() => source.Counters.Lines == 3);
        await stop.CancelAsync();
        await run;

        source.Counters.InvalidUtf8.Should().Be(2, "one invalid line before the reopen, one after");
    }

    /// <summary>Waits for another task's progress (a hang guard, not a timing assertion).</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue();
    }
}
