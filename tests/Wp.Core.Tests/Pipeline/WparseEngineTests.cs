using System.Threading.Channels;
using Wp.Core.Pipeline;
using Wp.Core.Sources;
using Wp.Core.Tests.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Pipeline;

/// <summary>The engine's failure path: an unexpected exception still drains, flushes and closes everything it started.</summary>
public sealed class WparseEngineTests
{
    private const string Line =
        "192.168.1.2 - - [06/Aug/2019:12:12:19 +0800] \"GET /nginx-logo.png HTTP/1.1\" 200 368 \"http://119.122.1.4/\" \"Mozilla/5.0 (X11)\" \"-\"";

    [Fact]
    public async Task A_source_that_throws_unexpectedly_still_gets_every_line_read_stored_and_every_sink_and_source_closed()
    {
        using var root = WithInput(500);
        var (engine, wrapped) = Engine(root, fail: true);

        var run = () => engine.RunAsync(TextWriter.Null, TextWriter.Null, CancellationToken.None);

        (await run.Should().ThrowAsync<InvalidOperationException>()).WithMessage(FailingSource.Message);
        wrapped.Should().ContainSingle().Which.Disposed.Should().Be(1, "the failure path closes the sources after the sinks' last flush");
        File.ReadAllLines(root.PathOf("data/out_dat/example.dat")).Should().HaveCount(500, "lines already read are parsed, routed and flushed before the exception goes on");
        Directory.EnumerateFiles(root.PathOf("data/rescue"), "*.lock").Should().BeEmpty("no rescue file is left open");
    }

    [Fact]
    public async Task A_run_without_faults_closes_each_source_once()
    {
        using var root = WithInput(10);
        var (engine, wrapped) = Engine(root, fail: false);

        var code = await engine.RunAsync(TextWriter.Null, TextWriter.Null, CancellationToken.None);

        code.Should().Be(0);
        wrapped.Should().ContainSingle().Which.Disposed.Should().Be(1);
        File.ReadAllLines(root.PathOf("data/out_dat/example.dat")).Should().HaveCount(10);
    }

    private static TempWorkRoot WithInput(int lines, [System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        TempWorkRoot.Create(caller).Initialised().Write("data/in_dat/gen.dat", string.Concat(Enumerable.Repeat(Line + "\n", lines)));

    /// <summary>An engine on the work root whose sources are wrapped (listed as the engine makes them).</summary>
    private static (WparseEngine Engine, List<FailingSource> Sources) Engine(TempWorkRoot root, bool fail)
    {
        var wrapped = new List<FailingSource>();
        var engine = new WparseEngine(
            new WparseOptions(root.WorkRoot, Follow: false, StatSec: null, PrintStat: false, SpeedLimit: null, MaxLines: 0),
            TimeProvider.System,
            source =>
            {
                var failing = new FailingSource(source, fail);
                wrapped.Add(failing);
                return failing;
            });
        return (engine, wrapped);
    }

    /// <summary>Reads everything its inner source reads, then throws (a bug in a source); counts its disposals.</summary>
    private sealed class FailingSource(ISource inner, bool fail = true) : ISource, IAsyncDisposable
    {
        public const string Message = "injected source bug";

        private int _disposed;

        public int Disposed => Volatile.Read(ref _disposed);

        public SourceCounters Counters => inner.Counters;

        public async Task RunAsync(ChannelWriter<LineBatch> output, CancellationToken stop)
        {
            await inner.RunAsync(output, stop);
            if (fail)
            {
                throw new InvalidOperationException(Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref _disposed);
            if (inner is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
