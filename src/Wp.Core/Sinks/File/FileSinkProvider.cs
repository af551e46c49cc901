using Wp.Core.Config;

namespace Wp.Core.Sinks.Files;

/// <summary>
/// Connector type <c>file</c> (SPEC §7.1, §7.2): records appended to <c>base</c>/<c>file</c> in
/// format <c>fmt</c> (kv, json, raw, proto-text). Connectors file_kv_sink, file_json_sink,
/// file_raw_sink, file_proto_sink; each allows overriding base, file and fmt.
/// </summary>
internal sealed class FileSinkProvider : ISinkProvider
{
    public const string TypeName = "file";

    /// <summary>Default folder of file sinks when a connector gives no <c>base</c>.</summary>
    public const string DefaultBase = "./data/out_dat";

    /// <summary>The params a file connector lets a sink override.</summary>
    public static readonly IReadOnlyList<string> Overrides = ["base", "file", "fmt"];

    public static FileSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public bool WritesFile => true;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        Connector("file_kv_sink", SinkFormats.Kv, "default.kv"),
        Connector("file_json_sink", SinkFormats.Json, "default.json"),
        Connector("file_raw_sink", SinkFormats.Raw, "default.raw"),
        Connector("file_proto_sink", SinkFormats.ProtoText, "default.dat"),
    ];

    public ISinkSettings? Read(SinkParams parameters)
    {
        parameters.OnlyKnown("base", "file", "fmt");
        return ReadFile(parameters);
    }

    /// <summary>base + file → absolute path, and fmt; shared with test_rescue, which writes a file too.</summary>
    internal static FileSinkOptions? ReadFile(SinkParams p)
    {
        var (path, format) = ConnectorLoader.FileOutput(p.Root, p.Values, p.Owner, p.Connector, p.OwnerName, DefaultBase, withFormat: true);
        return path is null ? null : new FileSinkOptions { Path = path, Format = format };
    }

    private static ConnectorDefinition Connector(string id, string fmt, string file) => new()
    {
        Id = id,
        Type = TypeName,
        AllowOverride = Overrides,
        Params = new Dictionary<string, object> { ["fmt"] = fmt, ["base"] = DefaultBase, ["file"] = file },
    };
}
