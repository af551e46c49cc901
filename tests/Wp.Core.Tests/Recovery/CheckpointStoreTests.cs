using System.Text;
using Serilog.Events;
using Wp.Core.Recovery;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LogCapture _log = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_saved_position_reads_back_in_a_new_store()
    {
        var store = Store();
        var position = new FilePosition("s-2025-10-04_01:59:24.dat", 8192, 100, 65536, Clean: true);

        store.Save(position);
        var reloaded = Store();
        reloaded.Load();

        reloaded.TryGet(position.File, out var read).Should().BeTrue();
        read.Should().Be(position);
        _log.Events.Should().BeEmpty();
    }

    [Fact]
    public void Writes_one_json_object_through_a_temp_file_and_leaves_no_temp_behind()
    {
        var store = Store();

        store.Save(new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20));

        _dir.FileNames().Should().Equal(CheckpointStore.FileName);
        File.ReadAllText(store.FilePath).Should().Be("""{"v":1,"file":"a-2025-10-04_01:59:24.dat","offset":10,"lines":1,"size":20,"clean":false}""" + "\n");
        store.Writes.Should().Be(1);
    }

    [Fact]
    public void A_save_that_is_not_durable_writes_the_same_whole_checkpoint_without_counting_an_fsync()
    {
        var store = Store();

        var fast = new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20);
        store.Save(fast, durable: false);
        var reloaded = Store();
        reloaded.Load();

        reloaded.TryGet(fast.File, out var read).Should().BeTrue();
        read.Should().Be(fast);
        _dir.FileNames().Should().Equal(CheckpointStore.FileName);
        store.Save(fast with { Offset = 15, Lines = 2 });
        store.Writes.Should().Be(2);
        store.DurableWrites.Should().Be(1);
    }

    [Fact]
    public void The_file_saved_last_is_the_top_level_entry_and_other_started_files_follow_in_others()
    {
        var store = Store();

        store.Save(new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20));
        store.Save(new FilePosition("b-2025-10-04_01:59:24.dat", 30, 3, 40, Clean: true));

        File.ReadAllText(store.FilePath).Should().Be(
            """{"v":1,"file":"b-2025-10-04_01:59:24.dat","offset":30,"lines":3,"size":40,"clean":true,"others":[{"file":"a-2025-10-04_01:59:24.dat","offset":10,"lines":1,"size":20,"clean":false}]}""" + "\n");
        var reloaded = Store();
        reloaded.Load();
        reloaded.Positions.Values.Should().BeEquivalentTo(store.Positions.Values);
    }

    [Fact]
    public void The_top_level_file_and_offset_are_what_wproj_rescue_stat_reads()
    {
        var store = Store();
        store.Save(new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20));
        store.Save(new FilePosition("b-2025-10-04_01:59:24.dat", 30, 3, 40));

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(store.FilePath));

        json.RootElement.GetProperty("file").GetString().Should().Be("b-2025-10-04_01:59:24.dat");
        json.RootElement.GetProperty("offset").GetInt64().Should().Be(30);
    }

    [Fact]
    public void Clearing_the_last_position_deletes_recover_lock()
    {
        var store = Store();
        store.Save(new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20));
        store.Save(new FilePosition("b-2025-10-04_01:59:24.dat", 10, 1, 20));

        store.Clear("a-2025-10-04_01:59:24.dat");
        File.Exists(store.FilePath).Should().BeTrue();
        store.Clear("b-2025-10-04_01:59:24.dat");

        File.Exists(store.FilePath).Should().BeFalse();
        store.Positions.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":10")] // torn
    [InlineData("not json")]
    [InlineData("{\"v\":2,\"file\":\"a.dat\",\"offset\":1,\"lines\":0,\"size\":5}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":-1,\"lines\":0,\"size\":5}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":9,\"lines\":0,\"size\":5}")]
    [InlineData("{\"v\":1,\"file\":\"../a.dat\",\"offset\":1,\"lines\":0,\"size\":5}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\"}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":1,\"lines\":0,\"size\":5,\"others\":[{\"file\":\"b.dat\"}]}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":1,\"lines\":0,\"size\":5,\"others\":{}}")]
    [InlineData("{\"v\":1,\"file\":\"a.dat\",\"offset\":1,\"lines\":0,\"size\":5} trailing")]
    public void A_corrupt_checkpoint_is_reported_and_ignored(string content)
    {
        File.WriteAllBytes(_dir.Combine(CheckpointStore.FileName), Encoding.UTF8.GetBytes(content));
        var store = Store();

        store.Load();

        store.Positions.Should().BeEmpty();
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("is corrupt").And.Contain("ignoring it");
    }

    [Fact]
    public void The_next_save_replaces_a_corrupt_checkpoint()
    {
        File.WriteAllText(_dir.Combine(CheckpointStore.FileName), "garbage");
        var store = Store();
        store.Load();

        store.Save(new FilePosition("a-2025-10-04_01:59:24.dat", 10, 1, 20));

        var reloaded = Store();
        reloaded.Load();
        reloaded.Positions.Should().ContainKey("a-2025-10-04_01:59:24.dat");
    }

    [Fact]
    public void A_missing_checkpoint_is_empty_and_not_an_error()
    {
        var store = Store();

        store.Load();

        store.Positions.Should().BeEmpty();
        _log.Events.Should().BeEmpty();
    }

    [Fact]
    public void Pruning_forgets_positions_of_files_that_are_gone_and_keeps_the_others()
    {
        var store = Store();
        store.Save(new FilePosition("gone.dat", 10, 1, 20));
        store.Save(new FilePosition("here.dat", 10, 1, 20));

        var pruned = store.PruneMissing(f => f == "here.dat");

        pruned.Should().Equal("gone.dat");
        var reloaded = Store();
        reloaded.Load();
        reloaded.Positions.Keys.Should().Equal("here.dat");
    }

    [Fact]
    public void A_failed_save_keeps_memory_equal_to_the_file_on_disk()
    {
        var store = Store();
        store.Save(new FilePosition("a.dat", 10, 1, 20));
        Directory.CreateDirectory(store.FilePath + ".tmp"); // the temp path is taken by a folder: the write fails

        var act = () => store.Save(new FilePosition("a.dat", 15, 2, 20));

        act.Should().Throw<Exception>().Which.Should().Match<Exception>(e => e is IOException || e is UnauthorizedAccessException);
        store.TryGet("a.dat", out var kept).Should().BeTrue();
        kept.Offset.Should().Be(10);
        Reloaded().Positions["a.dat"].Offset.Should().Be(10);
    }

    [Fact]
    public void A_leftover_temp_file_of_a_crash_is_replaced_not_appended_to()
    {
        var store = Store();
        File.WriteAllText(store.FilePath + ".tmp", new string('x', 4096)); // longer than any checkpoint

        store.Save(new FilePosition("a.dat", 10, 1, 20));

        File.Exists(store.FilePath + ".tmp").Should().BeFalse();
        Reloaded().Positions["a.dat"].Offset.Should().Be(10);
    }

    [Fact]
    public void A_symlink_planted_at_the_temp_path_is_unlinked_never_written_through()
    {
        var store = Store();
        var victim = Path.Combine(_dir.Path, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(store.FilePath + ".tmp", victim);

        store.Save(new FilePosition("a.dat", 10, 1, 20));

        File.ReadAllText(victim).Should().Be("keep me");
        new FileInfo(store.FilePath).LinkTarget.Should().BeNull();
        Reloaded().Positions["a.dat"].Offset.Should().Be(10);
    }

    [Fact]
    public void A_save_that_is_not_durable_overwrites_the_checkpoint_in_place_padding_a_shorter_one()
    {
        var store = Store();
        store.Save(new FilePosition("a.dat", 1_000_000, 10_000, 2_000_000), durable: false); // the first: through the temp file
        var before = new FileInfo(store.FilePath).Length;
        using var held = new FileStream(store.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        store.Save(new FilePosition("a.dat", 10, 1, 2_000_000), durable: false);

        // The handle opened before the save sees the new content: the same file, written in place.
        var seen = new StreamReader(held).ReadToEnd();
        seen.Should().Be("""{"v":1,"file":"a.dat","offset":10,"lines":1,"size":2000000,"clean":false}""" + "\n" + new string(' ', (int)before - 74));
        new FileInfo(store.FilePath).Length.Should().Be(before);
        Reloaded().Positions["a.dat"].Should().Be(new FilePosition("a.dat", 10, 1, 2_000_000));
        _dir.FileNames().Should().Equal(CheckpointStore.FileName);
    }

    [Fact]
    public void A_durable_save_and_a_checkpoint_past_one_sector_replace_the_file_instead()
    {
        var store = Store();
        store.Save(new FilePosition("a.dat", 10, 1, 20), durable: false);
        using (var held = new FileStream(store.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            store.Save(new FilePosition("a.dat", 15, 2, 20), durable: true);
            new StreamReader(held).ReadToEnd().Should().Contain("\"offset\":10,", "a durable save renames a new file over the old one");
        }

        for (var i = 0; i < 8; i++)
        {
            store.Save(new FilePosition($"other-{i}.dat", 10, 1, 20), durable: false); // grows past 512 bytes
        }

        using (var held = new FileStream(store.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            held.Length.Should().BeGreaterThan(512);
            store.Save(new FilePosition("a.dat", 20, 3, 20), durable: false);
            new StreamReader(held).ReadToEnd().Should().Contain("\"offset\":15,", "a checkpoint past one sector is not overwritten in place");
        }

        var reloaded = Reloaded();
        reloaded.Positions["a.dat"].Offset.Should().Be(20);
        reloaded.Positions.Should().HaveCount(9);
    }

    [Fact]
    public void A_symlink_planted_at_recover_lock_is_replaced_never_written_through()
    {
        var store = Store();
        var victim = Path.Combine(_dir.Path, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(store.FilePath, victim);

        store.Save(new FilePosition("a.dat", 10, 1, 20), durable: false);

        File.ReadAllText(victim).Should().Be("keep me");
        new FileInfo(store.FilePath).LinkTarget.Should().BeNull();
        Reloaded().Positions["a.dat"].Offset.Should().Be(10);
    }

    private CheckpointStore Store() => new(_dir.Path, _log.Logger);

    /// <summary>A new store that has loaded what is on disk.</summary>
    private CheckpointStore Reloaded()
    {
        var store = Store();
        store.Load();
        return store;
    }
}
