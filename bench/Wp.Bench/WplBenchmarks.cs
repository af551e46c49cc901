using BenchmarkDotNet.Attributes;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Wpl;

namespace Wp.Bench;

/// <summary>WPL matching alone, and match + kv format (the wparse per-line work minus I/O and channels).</summary>
public class WplBenchmarks
{
    private WplRuleSet _rules = null!;
    private string[] _lines = null!;
    private TextBuffer _text = null!;

    [Params("nginx", "benchmark_1")]
    public string Rule { get; set; } = "nginx";

    [GlobalSetup]
    public void Setup()
    {
        _rules = Corpus.Rules(Rule);
        _lines = Corpus.LinesFor(Rule, _rules);
        _text = new TextBuffer(1 << 20);
    }

    [GlobalCleanup]
    public void Cleanup() => _text.Dispose();

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int Match()
    {
        var fields = 0;
        foreach (var line in _lines)
        {
            fields += _rules.Match(line).Record!.Count;
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int MatchAndFormatKv()
    {
        _text.Clear();
        foreach (var line in _lines)
        {
            KvFormatter.Instance.Format(_rules.Match(line).Record!, _text);
        }

        return _text.Length;
    }
}

/// <summary>Each output format on parsed nginx records; allocation per line should be zero.</summary>
public class FormatterBenchmarks
{
    private Record[] _records = null!;
    private TextBuffer _text = null!;
    private IRecordFormatter _formatter = null!;

    [Params("kv", "json", "raw", "proto-text")]
    public string Format { get; set; } = "kv";

    [GlobalSetup]
    public void Setup()
    {
        _records = Corpus.RecordsFor("nginx");
        _formatter = RecordFormatters.ForName(Format);
        _text = new TextBuffer(1 << 20);
    }

    [GlobalCleanup]
    public void Cleanup() => _text.Dispose();

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int FormatRecord()
    {
        _text.Clear();
        foreach (var record in _records)
        {
            _formatter.Format(record, _text);
        }

        return _text.Length;
    }
}
