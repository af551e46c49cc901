using Wp.Core.Rescue;

namespace Wp.Core.Tests.Rescue;

public class RescueFileNameTests
{
    private static readonly DateTime Time = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Theory]
    [InlineData("benchmark_file_sink-2025-03-04_05:06:07.dat", "benchmark_file_sink", 0, true)]
    [InlineData("benchmark_file_sink-2025-03-04_05:06:07.dat.lock", "benchmark_file_sink", 0, false)]
    [InlineData("a.b_c-2025-03-04_05:06:07-1.dat", "a.b_c", 1, true)]
    [InlineData("s9-2025-03-04_05:06:07-42.dat.lock", "s9", 42, false)]
    [InlineData("s9-2025-03-04_05-06-07-42.dat", "s9", 42, true)]
    [InlineData("s9-2025-03-04_05-06-07.dat.lock", "s9", 0, false)]
    public void Parses_both_time_forms_with_and_without_seq(string file, string sink, int seq, bool isSealed)
    {
        RescueFileName.TryParse(file, out var name).Should().BeTrue();

        name.SinkName.Should().Be(sink);
        name.TimeUtc.Should().Be(Time);
        name.TimeUtc.Kind.Should().Be(DateTimeKind.Utc);
        name.Seq.Should().Be(seq);
        name.Sealed.Should().Be(isSealed);
    }

    [Theory]
    [InlineData("recover.lock")]
    [InlineData("foo.dat")]
    [InlineData("foo.dat.lock")]
    [InlineData("x-2025-13-01_00:00:00.dat")]
    [InlineData("x-2025-02-30_00:00:00.dat")]
    [InlineData("x-2025-01-01_24:00:00.dat")]
    [InlineData("x-2025-01-01_00:00.dat")]
    [InlineData("x-2025-01-01_00:00-00.dat")]
    [InlineData("x-2025-01-01_00:00:00-0.dat")]
    [InlineData("x-2025-01-01_00:00:00-01.dat")]
    [InlineData("x-2025-01-01_00:00:00-.dat")]
    [InlineData("x-2025-01-01_00:00:00--1.dat")]
    [InlineData("x-2025-01-01_00:00:00-1a.dat")]
    [InlineData("x-2025-01-01_00:00:00x.dat")]
    [InlineData("x-2025-01-01_00:00:00.dat.bad")]
    [InlineData("x-2025-01-01_00:00:00.DAT")]
    [InlineData("-2025-01-01_00:00:00.dat")]
    [InlineData("a b-2025-01-01_00:00:00.dat")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_names_that_are_not_rescue_files(string? file)
    {
        RescueFileName.TryParse(file, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(3, false)]
    [InlineData(17, true)]
    public void Formats_and_parses_back_in_both_forms(int seq, bool isSealed)
    {
        var name = new RescueFileName("my_sink.1", Time, seq, isSealed);

        foreach (var windows in new[] { false, true })
        {
            var text = name.Format(windows);
            RescueFileName.TryParse(text, out var back).Should().BeTrue(text);
            back.Should().Be(name);
        }
    }

    [Fact]
    public void Formats_the_spec_example()
    {
        var name = new RescueFileName("benchmark_file_sink", Time, 0, isSealed: false);

        name.Format(windowsForm: false).Should().Be("benchmark_file_sink-2025-03-04_05:06:07.dat.lock");
        name.Format(windowsForm: true).Should().Be("benchmark_file_sink-2025-03-04_05-06-07.dat.lock");
        name.AsSealed().Format(windowsForm: false).Should().Be("benchmark_file_sink-2025-03-04_05:06:07.dat");
        name.WithSeq(2).AsSealed().Format(windowsForm: false).Should().Be("benchmark_file_sink-2025-03-04_05:06:07-2.dat");
        name.ToString().Should().Be(name.Format(OperatingSystem.IsWindows()));
    }

    [Fact]
    public void Truncates_time_to_whole_seconds()
    {
        var name = new RescueFileName("s", Time.AddTicks(9_999_999));

        name.TimeUtc.Should().Be(Time);
    }

    [Fact]
    public void Rejects_invalid_sink_names_on_construction()
    {
        var act = () => new RescueFileName("bad-name", Time);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Orders_by_time_then_seq()
    {
        var a = new RescueFileName("z", Time);
        var b = new RescueFileName("a", Time, 1);
        var c = new RescueFileName("a", Time, 2);
        var d = new RescueFileName("a", Time.AddSeconds(1));

        new[] { d, c, a, b }.Order(RescueFileName.ByTimeThenSeq).Should().Equal(a, b, c, d);
    }
}
