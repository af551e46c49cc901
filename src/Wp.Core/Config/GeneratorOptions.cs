namespace Wp.Core.Config;

/// <summary>conf/wpgen.toml (SPEC §12), resolved. Command-line flags override these.</summary>
internal sealed class GeneratorOptions
{
    /// <summary><c>[generator] mode</c>. Default sample.</summary>
    public GeneratorMode Mode { get; init; } = GeneratorMode.Sample;

    /// <summary><c>[generator] count</c>: lines to write. Default 10000.</summary>
    public long Count { get; init; } = 10000;

    /// <summary><c>[generator] speed</c>: lines/s; 0 = unlimited (the default).</summary>
    public long Speed { get; init; }

    /// <summary>
    /// <c>[generator] parallel</c> (upstream): generator workers. <c>count</c> and <c>speed</c> are
    /// totals over all workers, so the output is the same for any value; wp writes with one. Default 1.
    /// </summary>
    public int Parallel { get; init; } = 1;

    /// <summary><c>[output] name</c> (upstream): names the output in messages. Default none.</summary>
    public string? OutputName { get; init; }

    /// <summary><c>[logging]</c> (upstream): logs/wpgen.log. Default warnings, file, ./logs.</summary>
    public LogOptions Log { get; init; } = new() { Level = "warn" };

    /// <summary><c>[output] connect</c>: a file-like sink connector. Default <c>file_raw_sink</c>.</summary>
    public string Connect { get; init; } = "file_raw_sink";

    /// <summary>Connector params merged with <c>[output] params</c>.</summary>
    public IReadOnlyDictionary<string, object> Params { get; init; } = new Dictionary<string, object>();

    /// <summary>Absolute path of the generated file. Default <c>./data/in_dat/gen.dat</c> under the work root.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Output format of the connector (the generator writes raw lines). Default raw.</summary>
    public string Format { get; init; } = SinkFormats.Raw;
}

internal enum GeneratorMode
{
    Sample,
    Rule,
}
