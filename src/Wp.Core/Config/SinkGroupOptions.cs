using Wp.Core.Sinks;

namespace Wp.Core.Config;

/// <summary>A sink group file (SPEC §6.1), business or infra, fully resolved.</summary>
internal sealed class SinkGroupOptions
{
    public required string Name { get; init; }

    public required bool IsInfra { get; init; }

    /// <summary>Rule path patterns claimed directly (<c>*</c> matches anything, including <c>/</c>).</summary>
    public IReadOnlyList<string> Rule { get; init; } = [];

    /// <summary>OML model names; the group claims what those models' rule patterns match.</summary>
    public IReadOnlyList<string> Oml { get; init; } = [];

    public OnError OnError { get; init; } = OnError.FixRetry;

    /// <summary>Records per batch (SPEC §6.3). Default 1024.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Longest a partial batch waits before it is written (SPEC §6.3). Default 300 ms.</summary>
    public int BatchTimeoutMs { get; init; } = 300;

    /// <summary>Group-level expectation settings that override sink/defaults.toml, if any.</summary>
    public ExpectOptions? Expect { get; init; }

    public required IReadOnlyList<SinkOptions> Sinks { get; init; }

    /// <summary>The file this group came from, for error messages.</summary>
    public required string SourceFile { get; init; }
}

/// <summary>The failure strategy of a group (SPEC §8.4).</summary>
internal enum OnError
{
    FixRetry,
    Tolerant,
    Throw,
}

/// <summary>One <c>[[sink_group.sinks]]</c> entry, with its connector resolved and params merged.</summary>
internal sealed class SinkOptions
{
    /// <summary>Unique across all groups; explicit or <c>&lt;group&gt;_&lt;index&gt;</c> (SPEC §6.2).</summary>
    public required string Name { get; init; }

    public required string Group { get; init; }

    /// <summary>False when the group file gave no <c>name</c> and <see cref="Name"/> is <c>&lt;group&gt;_&lt;index&gt;</c>.</summary>
    public bool IsNamed { get; init; } = true;

    /// <summary>Connector id as written.</summary>
    public required string Connect { get; init; }

    /// <summary>Backend type of the connector (a <see cref="ISinkProvider.Type"/>).</summary>
    public required string Type { get; init; }

    /// <summary>The typed settings the provider read from <see cref="Params"/>; null when they had problems.</summary>
    public ISinkSettings? Settings { get; init; }

    /// <summary>What the stat tables show as this sink's target (a path, or a server and table; never a secret).</summary>
    public string Target => Settings?.Target ?? Type;

    /// <summary>Connector defaults overridden by the sink's allowed params.</summary>
    public required IReadOnlyDictionary<string, object> Params { get; init; }

    public ExpectOptions? Expect { get; init; }

    /// <summary>For file-like sinks: the absolute output path (base + file); otherwise null.</summary>
    public string? OutputPath => Settings?.OutputPath;

    /// <summary>Output format for file-like sinks: kv, json, raw, proto-text.</summary>
    public string Format => Settings?.Format ?? SinkFormats.Kv;

    public required string SourceFile { get; init; }

    public int? SourceLine { get; init; }
}

/// <summary>Connector definition (SPEC §7.1), built-in or from connectors/sink.d.</summary>
internal sealed class ConnectorDefinition
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public IReadOnlyList<string> AllowOverride { get; init; } = [];

    public IReadOnlyDictionary<string, object> Params { get; init; } = new Dictionary<string, object>();

    /// <summary>The connectors/sink.d file that defined it; null for a built-in.</summary>
    public string? SourceFile { get; init; }

    public int? SourceLine { get; init; }

    /// <summary>Sinks of this type write a file: <c>base</c> + <c>file</c> give the output path, <c>fmt</c> the format.</summary>
    public bool IsFileLike => SinkProviders.Find(Type)?.WritesFile == true;
}

/// <summary>The source connector types (sink types are those of <see cref="SinkProviders"/>).</summary>
internal static class ConnectorTypes
{
    /// <summary>Source reading a file line by line (SPEC §4).</summary>
    public const string FileSource = "file_source";

    public static readonly IReadOnlyList<string> SourceTypes = [FileSource];
}

/// <summary>Output formats of file-like sinks (SPEC §7.2).</summary>
internal static class SinkFormats
{
    public const string Kv = "kv";
    public const string Json = "json";
    public const string Raw = "raw";
    public const string ProtoText = "proto-text";

    public static readonly IReadOnlyList<string> All = [Kv, Json, Raw, ProtoText];
}

/// <summary>Expectation settings (SPEC §11). Null members are not set at that level.</summary>
internal sealed class ExpectOptions
{
    public string? Basis { get; init; }

    public long? MinSamples { get; init; }

    public string? Mode { get; init; }

    public double? SumTol { get; init; }

    public double? OthersMax { get; init; }

    public double? Ratio { get; init; }

    public double? Tol { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }
}
