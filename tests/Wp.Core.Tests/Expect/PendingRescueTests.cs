using Wp.Core.Expect;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Expect;

/// <summary>Records still waiting in rescue files, as wproj stat and validate count them.</summary>
public sealed class PendingRescueTests
{
    private const string Sealed = "data/rescue/s-2026-01-02_03:04:05.dat";
    private static readonly HashSet<string> Sinks = new(StringComparer.Ordinal) { "s" };

    [Fact]
    public void The_checkpoint_takes_off_what_is_already_replayed()
    {
        using var root = TempWorkRoot.Create()
            .Write(Sealed, "{}\n{}\n{}\n")
            .Write("data/rescue/recover.lock", "{\"file\":\"s-2026-01-02_03:04:05.dat\",\"offset\":3,\"lines\":2}");

        PendingRescue.PerSink(root.PathOf("data/rescue"), Sinks).Should().Equal(new Dictionary<string, long> { ["s"] = 1 });
    }

    [Fact]
    public void A_symlinked_checkpoint_or_rescue_file_is_never_followed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks: Unix only
        }

        using var root = TempWorkRoot.Create()
            .Write(Sealed, "{}\n{}\n{}\n")
            .Write("outside/recover.lock", "{\"file\":\"s-2026-01-02_03:04:05.dat\",\"offset\":3,\"lines\":2}")
            .Write("outside/more.dat", "{}\n{}\n");
        File.CreateSymbolicLink(root.PathOf("data/rescue/recover.lock"), root.PathOf("outside/recover.lock"));
        File.CreateSymbolicLink(root.PathOf("data/rescue/s-2026-01-02_03:04:06.dat"), root.PathOf("outside/more.dat"));

        PendingRescue.PerSink(root.PathOf("data/rescue"), Sinks).Should().Equal(new Dictionary<string, long> { ["s"] = 3 });
    }
}
