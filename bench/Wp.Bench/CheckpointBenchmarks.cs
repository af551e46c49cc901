using BenchmarkDotNet.Attributes;
using Serilog;
using Wp.Core.Recovery;

namespace Wp.Bench;

/// <summary>
/// The recovery checkpoint (recover.lock): building its JSON, and a whole durable save (temp file,
/// fsync, rename, folder fsync) — the cost wprescue pays every <c>checkpoint_every_lines</c>.
/// </summary>
public class CheckpointBenchmarks
{
    private readonly FilePosition _current = new("nginx_sink-2026-11-27_17:52:02.dat", 81_920, 1_000, 524_288);
    private readonly FilePosition[] _others = [new("nginx_sink-2026-11-27_17:52:01.dat", 4_096, 20, 65_536)];
    private string _folder = null!;
    private CheckpointStore _store = null!;
    private long _offset;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "wp-bench-checkpoint-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        _store = new CheckpointStore(_folder, new LoggerConfiguration().CreateLogger());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public int Serialize() => CheckpointStore.Serialize(_current, _others).Length;

    [Benchmark]
    public long SaveDurably()
    {
        _offset = (_offset + 4096) % 500_000;
        _store.Save(_current with { Offset = _offset });
        return _store.Writes;
    }
}
