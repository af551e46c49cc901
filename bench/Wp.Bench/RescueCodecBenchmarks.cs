using System.Text;
using BenchmarkDotNet.Attributes;
using Wp.Core.Records;
using Wp.Core.Rescue;

namespace Wp.Bench;

/// <summary>Rescue entries (README.md, rescue files): encode a parsed nginx record, decode its entry line.</summary>
public class RescueCodecBenchmarks
{
    private Record[] _records = null!;
    private byte[][] _entries = null!;
    private PooledByteBuffer _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = Corpus.RecordsFor("nginx");
        _buffer = new PooledByteBuffer(1 << 20);
        _entries = [.. _records.Select(r =>
        {
            _buffer.Clear();
            RescueEntryCodec.Encode(r, _buffer);
            return _buffer.WrittenSpan.ToArray();
        })];
        Console.WriteLine("entry: " + Encoding.UTF8.GetString(_entries[0]).TrimEnd());
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int Encode()
    {
        _buffer.Clear();
        foreach (var record in _records)
        {
            RescueEntryCodec.Encode(record, _buffer);
        }

        return _buffer.Length;
    }

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int Decode()
    {
        var fields = 0;
        foreach (var entry in _entries)
        {
            RescueEntryCodec.TryDecode(entry, out var record, out _);
            fields += record!.Count;
        }

        return fields;
    }
}
