namespace Wp.Core.Config;

/// <summary>
/// The connectors every work root has (SPEC §7.1). A connector of the same id in
/// connectors/sink.d replaces the built-in as a whole.
/// </summary>
internal static class BuiltInConnectors
{
    /// <summary>Default folder of file sinks when a connector gives no <c>base</c>.</summary>
    public const string DefaultSinkBase = "./data/out_dat";

    public const string FileSource = "file_src";

    private static readonly string[] s_fileOverrides = ["base", "file", "fmt"];

    public static IReadOnlyDictionary<string, ConnectorDefinition> All { get; } = Create();

    private static Dictionary<string, ConnectorDefinition> Create()
    {
        ConnectorDefinition[] all =
        [
            FileSink("file_kv_sink", SinkFormats.Kv, "default.kv"),
            FileSink("file_json_sink", SinkFormats.Json, "default.json"),
            FileSink("file_raw_sink", SinkFormats.Raw, "default.raw"),
            FileSink("file_proto_sink", SinkFormats.ProtoText, "default.dat"),
            new()
            {
                Id = "file_rescue_sink",
                Type = ConnectorTypes.TestRescue,
                AllowOverride = [.. s_fileOverrides, "up_ms", "down_ms"],
                Params = new Dictionary<string, object>
                {
                    ["fmt"] = SinkFormats.Kv,
                    ["base"] = DefaultSinkBase,
                    ["file"] = "default.kv",
                    ["up_ms"] = 2000L,
                    ["down_ms"] = 2000L,
                },
            },
            new() { Id = "blackhole_sink", Type = ConnectorTypes.Blackhole },
            new()
            {
                Id = FileSource,
                Type = ConnectorTypes.FileSource,
                AllowOverride = ["base", "file"],
                Params = new Dictionary<string, object> { ["base"] = "./data/in_dat", ["file"] = "gen.dat" },
            },
        ];
        return all.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    private static ConnectorDefinition FileSink(string id, string fmt, string file) => new()
    {
        Id = id,
        Type = ConnectorTypes.File,
        AllowOverride = s_fileOverrides,
        Params = new Dictionary<string, object> { ["fmt"] = fmt, ["base"] = DefaultSinkBase, ["file"] = file },
    };
}
