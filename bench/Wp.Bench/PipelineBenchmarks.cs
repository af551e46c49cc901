using BenchmarkDotNet.Attributes;
using Wp.Core.Oml;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Wpl;

namespace Wp.Bench;

/// <summary>
/// The parse worker's per-line work on the issue-14 realistic configuration (issue 14 target 5):
/// WPL match with named fields, the OML model, <c>wp_src_key</c> appended, kv format. Model
/// <c>none</c> is the same without a model; <c>rename</c> a projection that renames and reorders;
/// <c>cast</c> a model that converts (the general path). <c>Pooled</c>: each invoke's records come
/// from a <see cref="RecordLease"/> returned once they are formatted, as wparse's sinks return a
/// batch's records once stored; the allocation per line is then what is left of the per-line work.
/// </summary>
public class PipelineBenchmarks
{
    private const string NamedRule = """
        package /bench {
          rule nginx {
            (ip:sip, 2*_, time/clf:time<[,]>, http/request:request", http/status:status, digit:size, chars:referer", chars:agent", chars:xff")
          }
        }
        """;

    private WplRuleSet _rules = null!;
    private string[] _lines = null!;
    private OmlModel? _model;
    private TextBuffer _text = null!;
    private Value _sourceKey;
    private readonly RecordPool _pool = new();

    [Params("none", "take-all", "rename", "cast")]
    public string Model { get; set; } = "take-all";

    [Params(false, true)]
    public bool Pooled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = WplRuleSet.Parse([("bench/nginx.wpl", NamedRule)]);
        _lines = Corpus.LinesFor("nginx", Corpus.Rules("nginx"));
        var body = Model switch
        {
            "none" => null,
            "take-all" => "* : auto = take() ;",
            "rename" => "client = take(sip) ;\ncode = take(status) ;\n* = take() ;",
            "cast" => "client : chars = take(sip) ;\n* = take() ;",
            _ => throw new ArgumentException(Model),
        };
        _model = body is null ? null : OmlLoader.Parse("models/oml/nginx.oml", $"name : nginx\nrule : /bench/*\n---\n{body}");
        _text = new TextBuffer(1 << 20);
        _sourceKey = Value.String("bench");
    }

    [GlobalCleanup]
    public void Cleanup() => _text.Dispose();

    [Benchmark(OperationsPerInvoke = Corpus.Lines)]
    public int ParseOmlKv()
    {
        _text.Clear();
        var lease = Pooled ? _pool.Take() : null;
        foreach (var line in _lines)
        {
            var record = _rules.Match(line, lease).Record!;
            var output = _model is { } model ? model.Apply(record, lease) : record;
            output.Add("wp_src_key", _sourceKey);
            KvFormatter.Instance.Format(output, _text);
        }

        lease?.Release();
        return _text.Length;
    }
}
