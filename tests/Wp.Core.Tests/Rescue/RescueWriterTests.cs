using System.Text;
using Microsoft.Extensions.Time.Testing;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Rescue;

public class RescueWriterTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, 250, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);

    [Fact]
    public void Opens_a_locked_file_named_after_the_sink_and_the_utc_second()
    {
        using var dir = new TempDir();
        using var writer = new RescueWriter(dir.Path, "bench_sink", 1 << 20, _clock);

        var path = writer.Open();

        Path.GetFileName(path).Should().Be(new RescueFileName("bench_sink", Start.UtcDateTime).ToString());
        dir.FileNames().Should().Equal(Path.GetFileName(path));
        path.Should().EndWith(".dat.lock");
    }

    [Fact]
    public void Creates_the_rescue_folder_when_missing()
    {
        using var dir = new TempDir();
        var root = dir.Combine("data", "rescue");
        using var writer = new RescueWriter(root, "s", 1 << 20, _clock);

        writer.Write(Batch(1));

        Directory.Exists(root).Should().BeTrue();
    }

    [Fact]
    public void Seal_renames_to_dat_and_its_lines_decode_to_the_written_records()
    {
        using var dir = new TempDir();
        using var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);
        var first = Batch(3, "a");
        var second = Batch(2, "b");

        writer.Write(first);
        writer.Write(second);
        var sealedPath = writer.Seal();

        sealedPath.Should().NotBeNull();
        dir.FileNames().Should().Equal(Path.GetFileName(sealedPath));
        sealedPath.Should().EndWith("-2025-03-04_05" + (OperatingSystem.IsWindows() ? "-06-07" : ":06:07") + ".dat");
        writer.IsOpen.Should().BeFalse();
        writer.RecordsWritten.Should().Be(5);
        ReadEntries(sealedPath!).Select(r => r.ToString()).Should().Equal(first.Concat(second).Select(r => r.ToString()));
    }

    [Fact]
    public void A_second_file_in_the_same_second_gets_a_sequence_number()
    {
        using var dir = new TempDir();
        using var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);

        writer.Write(Batch(1));
        var a = writer.Seal();
        writer.Write(Batch(1));
        var b = writer.Seal();
        _clock.Advance(TimeSpan.FromMilliseconds(500)); // still the same second
        writer.Write(Batch(1));
        var c = writer.Seal();
        _clock.Advance(TimeSpan.FromSeconds(1));
        writer.Write(Batch(1));
        var d = writer.Seal();

        var names = new[] { a, b, c, d }.Select(p => Parse(p!)).ToArray();
        names.Select(n => n.Seq).Should().Equal(0, 1, 2, 0);
        names.Should().OnlyContain(n => n.Sealed && n.SinkName == "s");
        names[3].TimeUtc.Should().Be(names[0].TimeUtc.AddSeconds(1));
        names.Should().BeInAscendingOrder(RescueFileName.ByTimeThenSeq);
    }

    [Fact]
    public void Skips_names_taken_by_open_or_sealed_files_of_either_time_form()
    {
        using var dir = new TempDir();
        var name = new RescueFileName("s", Start.UtcDateTime);
        File.WriteAllText(dir.Combine(name.AsSealed().Format(windowsForm: true)), "");
        File.WriteAllText(dir.Combine(name.WithSeq(1).AsOpen().ToString()), "");
        using var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);

        Parse(writer.Open()).Seq.Should().Be(2);
    }

    [Fact]
    public void Rotates_after_the_batch_that_reaches_max_file_bytes()
    {
        using var dir = new TempDir();
        var oneBatch = EncodedLength(Batch(4, "b0")); // every "b<i>" batch below has this size
        using var writer = new RescueWriter(dir.Path, "s", (oneBatch * 2) + 1, _clock);

        for (var i = 0; i < 7; i++)
        {
            writer.Write(Batch(4, "b" + i));
        }

        writer.SealedFiles.Should().HaveCount(2, "batches 1-3 and 4-6 each pass the limit");
        writer.IsOpen.Should().BeTrue();
        writer.CurrentFileRecords.Should().Be(4);
        writer.Dispose();

        var files = dir.FileNames();
        files.Should().HaveCount(3).And.OnlyContain(f => f.EndsWith(".dat", StringComparison.Ordinal));
        files.Select(f => ReadEntries(dir.Combine(f)).Count).Sum().Should().Be(28);
        writer.SealedFiles.Take(2).Select(f => ReadEntries(f).Count).Should().Equal(12, 12);
    }

    [Fact]
    public void Dispose_seals_the_open_file()
    {
        using var dir = new TempDir();
        var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);
        writer.Write(Batch(2));

        writer.Dispose();

        dir.FileNames().Should().ContainSingle().Which.Should().EndWith(".dat");
    }

    [Fact]
    public void Sealing_a_file_without_entries_deletes_it()
    {
        using var dir = new TempDir();
        using var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);
        writer.Open();

        writer.Seal().Should().BeNull();
        writer.Seal().Should().BeNull("nothing is open any more");

        dir.FileNames().Should().BeEmpty();
    }

    [Fact]
    public void An_open_file_cannot_be_opened_exclusively_by_another_handle()
    {
        using var dir = new TempDir();
        using var writer = new RescueWriter(dir.Path, "s", 1 << 20, _clock);
        writer.Write(Batch(1));
        var path = writer.CurrentPath!;

        // This is how wprescue tells a live writer from an orphaned .dat.lock.
        var exclusive = () => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
        var reading = () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite).Dispose();

        exclusive.Should().Throw<IOException>();
        reading.Should().Throw<IOException>();

        var sealedPath = writer.Seal()!;
        exclusive = () => new FileStream(sealedPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
        exclusive.Should().NotThrow();
    }

    [Fact]
    public void A_rescue_root_below_a_regular_file_is_unavailable_with_the_path()
    {
        using var dir = new TempDir();
        var file = dir.Combine("not-a-folder");
        File.WriteAllText(file, "x");
        var root = Path.Combine(file, "rescue");
        using var writer = new RescueWriter(root, "s", 1 << 20, _clock);

        var act = () => writer.Write(Batch(3));

        act.Should().Throw<RescueUnavailableException>()
            .Which.Path.Should().Be(root);
    }

    internal static List<Record> ReadEntries(string path)
    {
        var records = new List<Record>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            RescueEntryCodec.TryDecode(Encoding.UTF8.GetBytes(line), out var record, out var error).Should().BeTrue(error);
            records.Add(record!);
        }

        return records;
    }

    private static RescueFileName Parse(string path)
    {
        RescueFileName.TryParse(Path.GetFileName(path), out var name).Should().BeTrue(path);
        return name;
    }

    private static long EncodedLength(IReadOnlyList<Record> batch)
    {
        using var buffer = new PooledByteBuffer();
        foreach (var record in batch)
        {
            RescueEntryCodec.Encode(record, buffer);
        }

        return buffer.Length;
    }

    private static List<Record> Batch(int count, string tag = "x")
    {
        var batch = new List<Record>(count);
        for (var i = 0; i < count; i++)
        {
            var record = new Record();
            record.Add("tag", Value.String(tag));
            record.Add("i", Value.Int(i));
            batch.Add(record);
        }

        return batch;
    }
}
