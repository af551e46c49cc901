using Serilog.Events;
using Wp.Core.Config;
using Wp.Core.Recovery;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

public sealed class RescuePickerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LogCapture _log = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Orders_by_time_then_seq_newest_first()
    {
        Touch("a-2025-10-04_01:59:24.dat", "a-2025-10-04_01:59:24-1.dat", "a-2025-10-04_01:59:24-2.dat", "b-2025-10-04_02:00:00.dat", "a-2025-10-03_23:00:00.dat");

        var picked = Picker(RescueOrder.Newest).Scan().Select(c => c.FileName);

        picked.Should().Equal(
            "b-2025-10-04_02:00:00.dat",
            "a-2025-10-04_01:59:24-2.dat",
            "a-2025-10-04_01:59:24-1.dat",
            "a-2025-10-04_01:59:24.dat",
            "a-2025-10-03_23:00:00.dat");
    }

    [Fact]
    public void Order_oldest_reverses_it()
    {
        Touch("a-2025-10-04_01:59:24-1.dat", "a-2025-10-04_01:59:24.dat", "a-2025-10-03_23:00:00.dat");

        var picked = Picker(RescueOrder.Oldest).Scan().Select(c => c.FileName);

        picked.Should().Equal("a-2025-10-03_23:00:00.dat", "a-2025-10-04_01:59:24.dat", "a-2025-10-04_01:59:24-1.dat");
    }

    [Fact]
    public void Accepts_the_windows_time_form_and_orders_it_with_the_unix_one()
    {
        Touch("a-2025-10-04_01-59-25.dat", "a-2025-10-04_01:59:24.dat");

        Picker(RescueOrder.Oldest).Scan().Select(c => c.FileName).Should().Equal("a-2025-10-04_01:59:24.dat", "a-2025-10-04_01-59-25.dat");
    }

    [Fact]
    public void Takes_only_sealed_dat_files()
    {
        Touch("a-2025-10-04_01:59:24.dat.lock", "recover.lock", "recover.lock.tmp", InstanceLock.FileName, "a-2025-10-04_01:59:24.dat.bad", "a-2025-10-04_01:59:25.dat");
        Directory.CreateDirectory(_dir.Combine("bad"));
        File.WriteAllText(_dir.Combine("bad", "a-2025-10-04_01:59:26.dat"), "x");

        var picker = Picker(RescueOrder.Newest);

        picker.Scan().Select(c => c.FileName).Should().Equal("a-2025-10-04_01:59:25.dat");
        picker.Skipped.Should().BeEmpty();
        _log.Events.Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_sink_or_an_unparseable_name_is_skipped_with_one_error_line_per_file_per_run()
    {
        Touch("ghost-2025-10-04_01:59:24.dat", "not-a-rescue-name.dat", "a-2025-10-04_01:59:20.dat");
        var picker = Picker(RescueOrder.Newest);

        picker.Scan().Select(c => c.FileName).Should().Equal("a-2025-10-04_01:59:20.dat");
        picker.Scan();
        picker.Scan();

        var errors = _log.Messages(LogEventLevel.Error);
        errors.Should().HaveCount(2);
        errors.Should().Contain($"recover skip: {_dir.Combine("ghost-2025-10-04_01:59:24.dat")}: no sink named ghost");
        errors.Should().Contain(m => m.StartsWith($"recover skip: {_dir.Combine("not-a-rescue-name.dat")}: not a rescue file name", StringComparison.Ordinal));
        picker.Skipped.Select(Path.GetFileName).Should().BeEquivalentTo(["ghost-2025-10-04_01:59:24.dat", "not-a-rescue-name.dat"]);
    }

    [Fact]
    public void Skipped_lists_only_files_still_present()
    {
        Touch("ghost-2025-10-04_01:59:24.dat");
        var picker = Picker(RescueOrder.Newest);
        picker.Scan();

        File.Delete(_dir.Combine("ghost-2025-10-04_01:59:24.dat"));
        picker.Scan();

        picker.Skipped.Should().BeEmpty();
    }

    [Fact]
    public void A_sink_marked_unusable_is_skipped_like_an_unknown_one()
    {
        Touch("a-2025-10-04_01:59:24.dat", "b-2025-10-04_01:59:24.dat");
        var picker = Picker(RescueOrder.Newest);
        picker.MarkUnusable("a", "sink a cannot be opened: no output file");

        picker.Scan().Select(c => c.FileName).Should().Equal("b-2025-10-04_01:59:24.dat");
        _log.Messages(LogEventLevel.Error).Should().ContainSingle().Which.Should().EndWith(": sink a cannot be opened: no output file");
    }

    [Fact]
    public void A_missing_folder_yields_nothing()
    {
        new RescuePicker(_dir.Combine("nope"), _ => true, RescueOrder.Newest, _log.Logger).Scan().Should().BeEmpty();
    }

    private RescuePicker Picker(RescueOrder order) =>
        new(_dir.Path, sink => sink is "a" or "b", order, _log.Logger);

    private void Touch(params string[] names)
    {
        foreach (var name in names)
        {
            File.WriteAllText(_dir.Combine(name), "{}\n");
        }
    }
}
