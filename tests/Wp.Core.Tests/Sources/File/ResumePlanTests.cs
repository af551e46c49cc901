using System.Threading.Channels;
using Wp.Core.Sources;
using Wp.Core.Sources.Files;
using Wp.Core.Tests.Support;
using Wp.Core.Timing;

namespace Wp.Core.Tests.Sources.Files;

/// <summary>The start decision of a file source against real temp files (SPEC §4.1).</summary>
public sealed class ResumePlanTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Gen => _dir.Combine("gen.dat");

    [Fact]
    public void Without_a_saved_position_a_file_is_read_from_the_start()
    {
        Write(Gen, 0, 10);
        var plan = Decide(saved: null);
        plan.Kind.Should().Be(ResumeKind.NoPosition);
        plan.Offset.Should().Be(0);
    }

    [Fact]
    public void The_same_file_resumes_at_the_saved_offset_whether_or_not_it_grew()
    {
        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, lines: 10);
        Decide(saved).Should().Match<ResumePlan>(p => p.Kind == ResumeKind.Resume && p.Offset == saved.Offset && p.Lines == 10);

        Append(Gen, 10, 5);
        Decide(saved).Should().Match<ResumePlan>(p => p.Kind == ResumeKind.Resume && p.Offset == saved.Offset);
    }

    [Fact]
    public void From_start_ignores_the_saved_position()
    {
        Write(Gen, 0, 10);
        var plan = ResumePlan.Decide(PositionAtEnd(Gen, 10), Gen, FileIdentity.Of(Gen), new FileInfo(Gen).Length, fromStart: true);
        plan.Kind.Should().Be(ResumeKind.FromStart);
        plan.Offset.Should().Be(0);
    }

    [Fact]
    public void A_file_truncated_in_place_is_read_from_the_start()
    {
        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, 10);
        using (var stream = new FileStream(Gen, FileMode.Open))
        {
            stream.SetLength(20);
        }

        var plan = Decide(saved);
        plan.Kind.Should().Be(ResumeKind.Truncated);
        plan.Offset.Should().Be(0);
        plan.Reason.Should().Contain("truncated");
    }

    [Fact]
    public void A_file_rewritten_in_place_with_other_first_bytes_is_read_from_the_start()
    {
        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, 10);
        using (var stream = new FileStream(Gen, FileMode.Open))
        {
            stream.SetLength(0);
        }

        Append(Gen, 100, 20); // longer than before, other content, same inode

        var plan = Decide(saved);
        plan.Kind.Should().Be(ResumeKind.Truncated);
        plan.Reason.Should().Contain("rewritten");
    }

    [Fact]
    public void A_replaced_file_is_read_from_the_start()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // inode identity is Linux-only; elsewhere only the fingerprint decides
        }

        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, 10);
        Write(Gen + ".new", 0, 30); // same first bytes, other inode (a regenerated input)
        File.Move(Gen + ".new", Gen, overwrite: true);

        var plan = Decide(saved);
        plan.Kind.Should().Be(ResumeKind.Replaced);
        plan.Offset.Should().Be(0);
    }

    [Fact]
    public void A_renamed_file_is_finished_from_the_saved_offset_before_the_new_one()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, 10);
        Append(Gen, 10, 5); // written before the rotation, not read yet
        File.Move(Gen, Gen + ".1");
        Write(Gen, 100, 3);

        var plan = Decide(saved);
        plan.Kind.Should().Be(ResumeKind.Rotated);
        plan.Remainder.Should().Be(Gen + ".1");
        plan.RemainderFrom!.Value.Offset.Should().Be(saved.Offset);
        plan.Offset.Should().Be(0);
    }

    [Fact]
    public void After_a_copytruncate_the_copy_is_finished_from_the_saved_offset()
    {
        Write(Gen, 0, 10);
        var saved = PositionAtEnd(Gen, 10);
        Append(Gen, 10, 5);
        File.Copy(Gen, Gen + "-20261201");
        using (var stream = new FileStream(Gen, FileMode.Open))
        {
            stream.SetLength(0);
        }

        Append(Gen, 100, 2);

        var plan = Decide(saved);
        plan.Kind.Should().Be(ResumeKind.CopyTruncated);
        plan.Remainder.Should().Be(Gen + "-20261201");
        plan.Offset.Should().Be(0);
    }

    [Fact]
    public void A_position_file_round_trips_and_a_corrupt_one_is_reported_not_thrown()
    {
        var store = new PositionStore(_dir.Combine("pos"));
        Write(Gen, 0, 3);
        var position = PositionAtEnd(Gen, 3);
        store.Save("file_1", position);

        store.Load("file_1", out var problem).Should().Be(position);
        problem.Should().BeNull();

        File.WriteAllText(store.PathOf("file_1"), "garbage");
        store.Load("file_1", out problem).Should().BeNull();
        problem.Should().Contain("file_1.pos");
        store.Load("missing", out problem).Should().BeNull();
        problem.Should().BeNull();
    }

    [Fact]
    public async Task A_source_resumes_where_the_acknowledged_position_left_it()
    {
        var store = new PositionStore(_dir.Combine("pos"));
        Write(Gen, 0, 2500);

        var first = await ReadAll(store);
        first.Should().HaveCount(2500);
        Append(Gen, 2500, 10);

        var second = await ReadAll(store);
        second.Should().Equal(Enumerable.Range(2500, 10).Select(Line));
        store.Load("src", out _)!.Value.Lines.Should().Be(2510);
    }

    [Fact]
    public async Task Unacknowledged_batches_are_read_again()
    {
        var store = new PositionStore(_dir.Combine("pos"));
        Write(Gen, 0, 3000);
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = NewSource(store);
        await source.RunAsync(output.Writer, follow: false, CancellationToken.None);
        var batches = new List<LineBatch>();
        while (output.Reader.TryRead(out var batch))
        {
            batches.Add(batch);
        }

        batches[0].Ack!.Release();
        batches[2].Ack!.Release(); // batch 1 is not stored: the position stops after batch 0
        new PositionKeeper(store, [source], TimeProvider.System, Serilog.Core.Logger.None).SaveFinal();

        var again = await ReadAll(store);
        again.Should().HaveCount(3000 - batches[0].Count);
        again[0].Should().Be(Line(batches[0].Count));
    }

    private async Task<List<string>> ReadAll(PositionStore store)
    {
        var output = Channel.CreateUnbounded<LineBatch>();
        var source = NewSource(store);
        await source.RunAsync(output.Writer, follow: false, CancellationToken.None);
        var lines = new List<string>();
        while (output.Reader.TryRead(out var batch))
        {
            lines.AddRange(batch.Lines.Take(batch.Count));
            batch.Ack!.Release(); // stored
        }

        new PositionKeeper(store, [source], TimeProvider.System, Serilog.Core.Logger.None).SaveFinal();
        return lines;
    }

    private FileSource NewSource(PositionStore store) =>
        new("src", Gen, new SpeedLimiter(0, TimeProvider.System), new LineBudget(0), TimeProvider.System, store);

    private ResumePlan Decide(FilePosition? saved) =>
        ResumePlan.Decide(saved, Gen, FileIdentity.Of(Gen), File.Exists(Gen) ? new FileInfo(Gen).Length : 0, fromStart: false);

    private static FilePosition PositionAtEnd(string path, long lines) =>
        new(path, FileIdentity.Of(path)!.Value, new FileInfo(path).Length, lines);

    private static string Line(int i) => $"line {i:D6} of the test input, long enough to pass the fingerprint quickly";

    private static void Write(string path, int from, int count) =>
        File.WriteAllLines(path, Enumerable.Range(from, count).Select(Line));

    private static void Append(string path, int from, int count) =>
        File.AppendAllLines(path, Enumerable.Range(from, count).Select(Line));
}
