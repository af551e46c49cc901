using Wp.Core.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Project;

public sealed class DataCleanTests
{
    private const string Sealed = "data/rescue/example_file_sink-2026-01-02_03:04:05.dat";
    private const string Orphan = "data/rescue/example_file_sink-2026-01-02_03:04:06.dat.lock";

    /// <summary>An initialised root with outputs of a business and an infra sink, generator output and rescue data.</summary>
    private static TempWorkRoot WithData([System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        TempWorkRoot.Create(caller).Initialised()
            .Write("data/out_dat/example.dat", "a\n")
            .Write("data/out_dat/miss.dat", "b\n")
            .Write("data/in_dat/gen.dat", "c\n")
            .Write("data/out_dat/unrelated.txt", "mine\n")
            .Write(Sealed, "{}\n")
            .Write(Orphan, "{}\n")
            .Write("data/rescue/recover.lock", "{\"file\":\"x.dat\",\"offset\":0}")
            .Write("data/rescue/bad/x.dat.bad", "3: junk\n");

    private static (int Code, string Out, string Err) Clean(TempWorkRoot root, bool rescue)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DataClean.Run(root.WorkRoot, rescue, output, error);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }

    [Fact]
    public void Deletes_every_sink_output_and_the_generator_output_and_reports_each()
    {
        using var root = WithData();

        var (code, output, error) = Clean(root, rescue: false);

        code.Should().Be(0);
        error.Should().BeEmpty();
        root.Exists("data/out_dat/example.dat").Should().BeFalse();
        root.Exists("data/out_dat/miss.dat").Should().BeFalse();
        root.Exists("data/in_dat/gen.dat").Should().BeFalse();
        root.Exists("data/out_dat/unrelated.txt").Should().BeTrue("only configured outputs are deleted");
        output.Should().Contain("deleted  data/out_dat/example.dat\n")
            .And.Contain("deleted  data/out_dat/miss.dat\n")
            .And.Contain("deleted  data/in_dat/gen.dat\n")
            .And.EndWith("data clean: 3 files deleted\n");
    }

    [Fact]
    public void Keeps_rescue_files_unless_rescue_is_given()
    {
        using var root = WithData();

        var (_, output, _) = Clean(root, rescue: false);

        root.Exists(Sealed).Should().BeTrue();
        root.Exists(Orphan).Should().BeTrue();
        root.Exists("data/rescue/recover.lock").Should().BeTrue();
        root.Exists("data/rescue/bad/x.dat.bad").Should().BeTrue();
        output.Should().Contain("kept     4 rescue files in data/rescue (undelivered data; --rescue deletes them)");
    }

    [Fact]
    public void With_rescue_deletes_rescue_files_the_checkpoint_and_quarantined_entries()
    {
        using var root = WithData();

        var (code, output, _) = Clean(root, rescue: true);

        code.Should().Be(0);
        root.Exists(Sealed).Should().BeFalse();
        root.Exists(Orphan).Should().BeFalse();
        root.Exists("data/rescue/recover.lock").Should().BeFalse();
        root.Exists("data/rescue/bad/x.dat.bad").Should().BeFalse();
        output.Should().Contain($"deleted  {Sealed}\n").And.EndWith("data clean: 7 files deleted\n");
    }

    [Fact]
    public void With_rescue_still_keeps_a_file_a_live_writer_holds()
    {
        using var root = WithData();
        using var writer = new FileStream(root.PathOf(Orphan), FileMode.Open, FileAccess.Write, FileShare.None);

        var (code, output, _) = Clean(root, rescue: true);

        code.Should().Be(0);
        root.Exists(Orphan).Should().BeTrue();
        output.Should().Contain($"kept     {Orphan} (a running writer holds it)");
    }
}
