using System.Text;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Wp.Core.Recovery;
using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

public sealed class StaleLockAdopterTests : IDisposable
{
    private static readonly DateTime FileTime = new(2025, 10, 4, 1, 59, 24, DateTimeKind.Utc);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _log = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_held_by_a_live_writer_is_left_alone()
    {
        using var writer = new RescueWriter(_dir.Path, "s1", 1 << 20, _clock);
        writer.Write([RescueFileBuilder.Entry(1)]);
        var before = new FileInfo(writer.CurrentPath!).Length; // its lock keeps even readers out

        var outcome = Adopter().TryAdopt(writer.CurrentPath!);

        outcome.Should().Be(AdoptOutcome.Live);
        new FileInfo(writer.CurrentPath!).Length.Should().Be(before);
        _dir.FileNames().Should().Equal(Path.GetFileName(writer.CurrentPath));
    }

    [Fact]
    public void An_orphan_with_whole_entries_is_sealed_unchanged_and_logged()
    {
        var content = new RescueFileBuilder().Entries(0, 5);
        var path = content.WriteTo(_dir.Path, "s1", FileTime, isSealed: false);

        var outcome = Adopter().TryAdopt(path);

        outcome.Should().Be(AdoptOutcome.Adopted);
        var sealedPath = path[..^".lock".Length];
        _dir.FileNames().Should().Equal(Path.GetFileName(sealedPath));
        File.ReadAllBytes(sealedPath).Should().Equal(content.ToArray());
        _log.Messages(LogEventLevel.Warning).Should().ContainSingle().Which.Should().Be($"adopt stale lock file {path} -> {sealedPath}");
    }

    [Fact]
    public void A_torn_last_line_without_newline_is_cut_off_and_kept_in_the_quarantine()
    {
        var whole = new RescueFileBuilder().Entries(0, 3);
        var path = new RescueFileBuilder().Entries(0, 3).Raw("{\"v\":1,\"f\":[[\"n\",\"i\",3],[\"ms").WriteTo(_dir.Path, "s1", FileTime, isSealed: false);
        var adopter = Adopter();

        adopter.TryAdopt(path).Should().Be(AdoptOutcome.Adopted);

        var sealedName = Path.GetFileName(path)[..^".lock".Length];
        File.ReadAllBytes(_dir.Combine(sealedName)).Should().Equal(whole.ToArray());
        adopter.TornLinesDropped.Should().Be(1);
        var bad = File.ReadAllText(_dir.Combine("bad", sealedName + ".bad"));
        bad.Should().StartWith("tail\t").And.Contain("no newline at the end").And.EndWith("\t{\"v\":1,\"f\":[[\"n\",\"i\",3],[\"ms\n");
        _log.Messages(LogEventLevel.Warning).Should().ContainSingle().Which.Should().StartWith($"adopt stale lock file {path}").And.Contain("torn last line dropped");
    }

    [Fact]
    public void A_last_line_that_ends_in_newline_but_does_not_decode_is_cut_off()
    {
        var whole = new RescueFileBuilder().Entries(0, 2);
        var path = new RescueFileBuilder().Entries(0, 2).Raw("\0\0\0{\"v\":1\n").WriteTo(_dir.Path, "s1", FileTime, isSealed: false);
        var adopter = Adopter();

        adopter.TryAdopt(path).Should().Be(AdoptOutcome.Adopted);

        File.ReadAllBytes(path[..^".lock".Length]).Should().Equal(whole.ToArray());
        adopter.TornLinesDropped.Should().Be(1);
    }

    [Fact]
    public void Only_the_last_line_is_trimmed_a_bad_line_in_the_middle_stays_for_the_replayer()
    {
        var content = new RescueFileBuilder().Entries(0, 1).Raw("garbage\n").Entries(1, 1);
        var path = content.WriteTo(_dir.Path, "s1", FileTime, isSealed: false);

        Adopter().TryAdopt(path).Should().Be(AdoptOutcome.Adopted);

        File.ReadAllBytes(path[..^".lock".Length]).Should().Equal(content.ToArray());
    }

    [Fact]
    public void An_orphan_with_no_complete_entry_is_removed_and_its_bytes_kept_in_the_quarantine()
    {
        var path = new RescueFileBuilder().Raw("{\"v\":1,\"f\":[").WriteTo(_dir.Path, "s1", FileTime, isSealed: false);

        Adopter().TryAdopt(path).Should().Be(AdoptOutcome.Removed);

        _dir.FileNames().Should().BeEmpty();
        File.ReadAllText(_dir.Combine("bad", Path.GetFileName(path)[..^".lock".Length] + ".bad")).Should().Contain("{\"v\":1,\"f\":[");
    }

    [Fact]
    public void An_empty_file_is_left_alone_while_young_and_removed_once_old()
    {
        var path = new RescueFileBuilder().WriteTo(_dir.Path, "s1", FileTime, isSealed: false);
        var adopter = Adopter();

        adopter.TryAdopt(path).Should().Be(AdoptOutcome.Live, "its writer may not have locked it yet");
        File.Exists(path).Should().BeTrue();

        _clock.Advance(StaleLockAdopter.EmptyGrace + TimeSpan.FromSeconds(1));
        adopter.TryAdopt(path).Should().Be(AdoptOutcome.Removed);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void A_taken_sealed_name_moves_to_the_next_seq()
    {
        var path = new RescueFileBuilder().Entries(0, 1).WriteTo(_dir.Path, "s1", FileTime, isSealed: false);
        new RescueFileBuilder().Entries(5, 1).WriteTo(_dir.Path, "s1", FileTime, isSealed: true);

        Adopter().TryAdopt(path).Should().Be(AdoptOutcome.Adopted);

        _dir.FileNames().Should().BeEquivalentTo(
            new RescueFileName("s1", FileTime, 0, isSealed: true).ToString(),
            new RescueFileName("s1", FileTime, 1, isSealed: true).ToString());
    }

    [Fact]
    public void Adopt_all_takes_every_orphan_and_skips_live_ones()
    {
        var orphan = new RescueFileBuilder().Entries(0, 2).WriteTo(_dir.Path, "a", FileTime, isSealed: false);
        using var writer = new RescueWriter(_dir.Path, "b", 1 << 20, _clock);
        writer.Write([RescueFileBuilder.Entry(1)]);
        File.WriteAllText(_dir.Combine("not-ours.dat.lock"), "x");

        var outcomes = Adopter().AdoptAll();

        outcomes[orphan].Should().Be(AdoptOutcome.Adopted);
        outcomes[writer.CurrentPath!].Should().Be(AdoptOutcome.Live);
        outcomes[_dir.Combine("not-ours.dat.lock")].Should().Be(AdoptOutcome.Ignored);
    }

    private StaleLockAdopter Adopter() => new(_dir.Path, _dir.Combine("bad"), _clock, _log.Logger);
}
