using Wp.Core.Sinks;

namespace Wp.Core.Config;

/// <summary>
/// The connectors every work root has (SPEC §7.1): those of every sink provider, plus the file
/// source. A connector of the same id in connectors/sink.d replaces the built-in as a whole.
/// </summary>
internal static class BuiltInConnectors
{
    /// <summary>Default folder of file sinks (and the generator) when a connector gives no <c>base</c>.</summary>
    public const string DefaultSinkBase = "./data/out_dat";

    public const string FileSource = "file_src";

    public static IReadOnlyDictionary<string, ConnectorDefinition> All { get; } = Create();

    private static Dictionary<string, ConnectorDefinition> Create()
    {
        ConnectorDefinition source = new()
        {
            Id = FileSource,
            Type = ConnectorTypes.FileSource,
            AllowOverride = ["base", "file"],
            Params = new Dictionary<string, object> { ["base"] = "./data/in_dat", ["file"] = "gen.dat" },
        };
        return SinkProviders.Connectors.Append(source).ToDictionary(c => c.Id, StringComparer.Ordinal);
    }
}
