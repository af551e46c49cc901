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
/// <c>cast</c> a model that converts (the general path).
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

    [Params("none", "take-all", "rename", "cast")]
    public string Model { get; set; } = "take-all";

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
        foreach (var line in _lines)
        {
            var record = _rules.Match(line).Record!;
            var output = _model is { } model ? model.Apply(record) : record;
            output.Add("wp_src_key", _sourceKey);
            KvFormatter.Instance.Format(output, _text);
        }

        return _text.Length;
    }
}
