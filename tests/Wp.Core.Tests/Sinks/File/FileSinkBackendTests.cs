using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Wp.Core.Records;
using Wp.Core.Sinks.Files;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.Files;

public sealed class FileSinkBackendTests : IDisposable
{
    private readonly SinkTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Record Line(int i, string msg = "m")
    {
        var record = new Record();
        record.Add("i", Value.Int(i));
        record.Add("msg", Value.String(msg));
        return record;
    }

    private static Record[] Batch(int from, int count) =>
        Enumerable.Range(from, count).Select(i => Line(i)).ToArray();

    private static string Kv(int i, string msg = "m") => "i: " + i + ", msg: \"" + msg + "\"\n";

    private static string KvLines(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => Kv(i)));

    private FileSinkBackend NewSink(string file = "out.kv", string format = "kv") =>
        new(new FileSinkOptions { Path = _folder.PathOf(file), Format = format });

    /// <summary>Reads the file the way <c>wc -l</c> or <c>tail</c> would while the sink holds it open.</summary>
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task Writing_creates_missing_folders_and_the_file()
    {
        var path = _folder.PathOf("a", "b", "c", "out.kv");
        await using (var sink = new FileSinkBackend(new FileSinkOptions { Path = path }))
        {
            await sink.WriteAsync(Batch(0, 2), CancellationToken.None);
        }

        File.ReadAllText(path).Should().Be(KvLines(0, 2));
    }

    [Fact]
    public async Task The_constructor_does_not_touch_the_file_system()
    {
        await using var sink = NewSink(Path.Combine("later", "out.kv"));

        Directory.Exists(_folder.PathOf("later")).Should().BeFalse();
        sink.FilePath.Should().Be(_folder.PathOf("later", "out.kv"));
    }

    [Fact]
    public async Task A_second_instance_appends_after_the_first()
    {
        await using (var first = NewSink())
        {
            await first.WriteAsync(Batch(0, 3), CancellationToken.None);
        }

        await using (var second = NewSink())
        {
            await second.WriteAsync(Batch(3, 2), CancellationToken.None);
        }

        File.ReadAllText(_folder.PathOf("out.kv")).Should().Be(KvLines(0, 5));
    }

    [Fact]
    public async Task Lines_written_counts_records_of_successful_batches_and_matches_the_file()
    {
        await using var sink = NewSink();

        await sink.WriteAsync(Batch(0, 10), CancellationToken.None);
        await sink.WriteAsync([Record.FromRaw("unparsed line"), Line(10)], CancellationToken.None);
        await sink.WriteAsync([], CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        sink.LinesWritten.Should().Be(12);
        ReadShared(sink.FilePath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(12);
    }

    [Fact]
    public async Task Flushed_data_is_visible_to_a_reader_while_the_sink_is_open()
    {
        await using var sink = NewSink();

        await sink.WriteAsync(Batch(0, 3), CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        ReadShared(sink.FilePath).Should().Be(KvLines(0, 3));
    }

    [Fact]
    public async Task A_big_batch_is_written_whole()
    {
        await using var sink = NewSink();
        var batch = Enumerable.Range(0, 20_000).Select(i => Line(i, new string('x', 50))).ToArray();

        await sink.WriteAsync(batch, CancellationToken.None);

        sink.LinesWritten.Should().Be(20_000);
        var lines = ReadShared(sink.FilePath).Split('\n');
        lines.Should().HaveCount(20_001);
        lines[19_999].Should().Be("i: 19999, msg: \"" + new string('x', 50) + "\"");
    }

    [Fact]
    public async Task Text_is_written_as_utf8_without_a_byte_order_mark()
    {
        await using (var sink = NewSink())
        {
            await sink.WriteAsync([Line(1, "é 中 😀")], CancellationToken.None);
        }

        File.ReadAllBytes(_folder.PathOf("out.kv")).Should().Equal(Encoding.UTF8.GetBytes(Kv(1, "é 中 😀")));
    }

    [Fact]
    public async Task The_configured_format_is_used()
    {
        await using (var sink = NewSink("out.json", "json"))
        {
            await sink.WriteAsync(Batch(0, 2), CancellationToken.None);
        }

        var lines = File.ReadAllLines(_folder.PathOf("out.json"));
        lines.Should().Equal("{\"i\":0,\"msg\":\"m\"}", "{\"i\":1,\"msg\":\"m\"}");
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("i").GetInt32()).Should().Equal(0, 1);
    }

    [Fact]
    public void An_unknown_format_is_rejected_by_the_constructor()
    {
        var act = () => NewSink(format: "xml");

        act.Should().Throw<ArgumentException>().WithMessage("*xml*kv, json, proto-text, raw*");
    }

    [Fact]
    public async Task Dispose_closes_the_file_and_later_writes_are_refused()
    {
        var sink = NewSink();
        await sink.WriteAsync(Batch(0, 1), CancellationToken.None);

        await sink.DisposeAsync();
        await sink.DisposeAsync(); // idempotent

        // An exclusive open succeeds only once the sink has really closed the file.
        using (new FileStream(sink.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        File.ReadAllText(sink.FilePath).Should().Be(KvLines(0, 1));
        await sink.Invoking(s => s.WriteAsync(Batch(1, 1), CancellationToken.None).AsTask())
            .Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task While_open_the_file_cannot_be_opened_by_a_second_writer_that_wants_exclusivity()
    {
        await using var sink = NewSink();
        await sink.ProbeAsync(CancellationToken.None);

        var act = () => new FileStream(sink.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        act.Should().Throw<IOException>();
    }

    [Fact]
    public async Task Another_writers_lock_is_waited_for_on_the_injected_clock_and_gives_up_after_30_s()
    {
        // POSIX record locks only conflict between processes: a perl child holds the lock (perl is part of
        // every Debian); the struct flock layout below is Linux's on 64-bit machines.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/perl") || !Environment.Is64BitProcess)
        {
            return;
        }

        var clock = new FakeTimeProvider();
        await using var sink = new FileSinkBackend(new FileSinkOptions { Path = _folder.PathOf("locked.kv"), Format = "kv" }, clock);
        await sink.ProbeAsync(CancellationToken.None);
        var start = clock.GetUtcNow();
        using (var other = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/perl")
        {
            ArgumentList =
            {
                "-e",
                "use Fcntl; open(my $fh, '+<', $ARGV[0]) or die; fcntl($fh, F_SETLK, pack('s s x4 q q l x4', F_WRLCK, SEEK_SET, 0, 0, 0)) or die \"lock: $!\"; $| = 1; print \"locked\\n\"; <STDIN>;",
                sink.FilePath,
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!)
        {
            (await other.StandardOutput.ReadLineAsync()).Should().Be("locked"); // another writer appending a batch

            var write = sink.WriteAsync(Batch(1, 1), CancellationToken.None).AsTask();

            // Only the fake clock moves the wait on: without it the write stays pending, blocking no thread.
            await Task.WhenAny(write, Task.Delay(50));
            write.IsCompleted.Should().BeFalse();
            for (var step = 0; step < 100 && !write.IsCompleted; step++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(write, Task.Delay(10));
            }

            await write.Invoking(w => w).Should().ThrowAsync<IOException>();
            (clock.GetUtcNow() - start).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
            other.StandardInput.Close(); // the other writer is done
            await other.WaitForExitAsync();
        }

        await sink.WriteAsync(Batch(2, 1), CancellationToken.None);
        File.ReadAllText(sink.FilePath).Should().Be(Kv(2), "the lock is free again: the next write goes through");
    }

    [Fact]
    public async Task Probe_creates_the_folder_and_file_and_succeeds()
    {
        await using var sink = NewSink(Path.Combine("sub", "out.kv"));

        await sink.ProbeAsync(CancellationToken.None);
        await sink.ProbeAsync(CancellationToken.None);

        File.Exists(sink.FilePath).Should().BeTrue();
        new FileInfo(sink.FilePath).Length.Should().Be(0);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_makes_write_and_probe_throw()
    {
        // A regular file in the folder path fails even for root, unlike chmod.
        File.WriteAllText(_folder.PathOf("blocker"), "x");
        await using var sink = NewSink(Path.Combine("blocker", "sub", "out.kv"));

        await sink.Invoking(s => s.WriteAsync(Batch(0, 1), CancellationToken.None).AsTask())
            .Should().ThrowAsync<IOException>();
        await sink.Invoking(s => s.ProbeAsync(CancellationToken.None).AsTask())
            .Should().ThrowAsync<IOException>();
        sink.LinesWritten.Should().Be(0);
    }

    [Fact]
    public async Task A_failing_probe_reports_through_the_returned_task_rather_than_throwing_from_the_call()
    {
        File.WriteAllText(_folder.PathOf("blocker"), "x");
        await using var sink = NewSink(Path.Combine("blocker", "out.kv"));

        var probe = sink.ProbeAsync(CancellationToken.None);

        probe.IsFaulted.Should().BeTrue();
        await FluentActions.Awaiting(() => probe.AsTask()).Should().ThrowAsync<IOException>();
    }

    [Fact]
    public async Task After_a_real_failure_clears_the_next_write_succeeds()
    {
        File.WriteAllText(_folder.PathOf("blocker"), "x");
        await using var sink = NewSink(Path.Combine("blocker", "out.kv"));
        await sink.Invoking(s => s.WriteAsync(Batch(0, 1), CancellationToken.None).AsTask())
            .Should().ThrowAsync<IOException>();

        File.Delete(_folder.PathOf("blocker"));
        await sink.ProbeAsync(CancellationToken.None);
        await sink.WriteAsync(Batch(1, 1), CancellationToken.None);

        ReadShared(sink.FilePath).Should().Be(KvLines(1, 1));
        sink.LinesWritten.Should().Be(1);
    }

    [Fact]
    public async Task A_write_that_fails_part_way_is_cut_back_before_the_call_throws()
    {
        var failNext = false;
        await using var sink = new FileSinkBackend(new FileSinkOptions { Path = _folder.PathOf("out.kv") })
        {
            WriteBytes = async (stream, bytes) =>
            {
                if (failNext)
                {
                    failNext = false;
                    // Simulates ENOSPC after part of the batch reached the file.
                    await stream.WriteAsync(bytes[..(bytes.Length / 2)]);
                    throw new IOException("No space left on device");
                }

                await stream.WriteAsync(bytes);
            },
        };
        await sink.WriteAsync(Batch(0, 2), CancellationToken.None);

        failNext = true;
        await sink.Invoking(s => s.WriteAsync(Batch(2, 4), CancellationToken.None).AsTask())
            .Should().ThrowAsync<IOException>().WithMessage("No space*");
        ReadShared(sink.FilePath).Should().Be(KvLines(0, 2), "the torn half batch is removed while the lock is still held");

        await sink.WriteAsync(Batch(6, 1), CancellationToken.None);

        ReadShared(sink.FilePath).Should().Be(KvLines(0, 2) + KvLines(6, 1));
        sink.LinesWritten.Should().Be(3);
    }

    [Fact]
    public async Task A_torn_last_line_left_by_another_writer_is_closed_before_appending()
    {
        File.WriteAllText(_folder.PathOf("out.kv"), Kv(0) + "i: 1, ms");
        await using (var sink = NewSink())
        {
            await sink.WriteAsync(Batch(2, 1), CancellationToken.None);
        }

        File.ReadAllText(_folder.PathOf("out.kv")).Should().Be(Kv(0) + "i: 1, ms\n" + Kv(2));
    }

    [Fact]
    public async Task A_cancelled_write_writes_nothing()
    {
        await using var sink = NewSink();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await sink.Invoking(s => s.WriteAsync(Batch(0, 1), cancelled.Token).AsTask())
            .Should().ThrowAsync<OperationCanceledException>();

        File.Exists(sink.FilePath).Should().BeFalse();
        sink.LinesWritten.Should().Be(0);
    }

    [Fact]
    public async Task An_empty_batch_does_not_create_the_file()
    {
        await using var sink = NewSink();

        await sink.WriteAsync([], CancellationToken.None);

        File.Exists(sink.FilePath).Should().BeFalse();
    }
}
