using Wp.Core.Config;
using Wp.Core.Sinks.Files;

namespace Wp.Core.Sinks.TestRescue;

/// <summary>
/// Connector type <c>test_rescue</c> (docs/configuration.md): a file sink that is up for <c>up_ms</c> and down
/// for <c>down_ms</c>, forever. Connector file_rescue_sink (fmt=kv, file=default.kv, 2000/2000 ms).
/// </summary>
internal sealed class TestRescueSinkProvider : ISinkProvider
{
    public const string TypeName = "test_rescue";

    public static TestRescueSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public bool WritesFile => true;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        new()
        {
            Id = "file_rescue_sink",
            Type = TypeName,
            AllowOverride = [.. FileSinkProvider.Overrides, "up_ms", "down_ms"],
            Params = new Dictionary<string, object>
            {
                ["fmt"] = SinkFormats.Kv,
                ["base"] = FileSinkProvider.DefaultBase,
                ["file"] = "default.kv",
                ["up_ms"] = TestRescueSchedule.DefaultUpMs,
                ["down_ms"] = TestRescueSchedule.DefaultDownMs,
            },
        },
    ];

    public ISinkSettings? Read(SinkParams parameters)
    {
        parameters.OnlyKnown("base", "file", "fmt", "up_ms", "down_ms");
        var file = FileSinkProvider.ReadFile(parameters);
        var up = parameters.Integer("up_ms", TestRescueSchedule.DefaultUpMs, min: 0);
        var down = parameters.Integer("down_ms", TestRescueSchedule.DefaultDownMs, min: 0);
        if (up == 0 && down == 0)
        {
            parameters.Problem("down_ms", $"{parameters.OwnerName}: up_ms and down_ms cannot both be 0");
            return null;
        }

        return file is null || up is null || down is null ? null : new TestRescueSinkOptions(file, up.Value, down.Value);
    }
}

/// <summary>A test_rescue sink's settings: its file and its phases as configured (the environment may override them at start).</summary>
internal sealed record TestRescueSinkOptions(FileSinkOptions File, long UpMs, long DownMs) : ISinkSettings
{
    public string? OutputPath => File.Path;

    public string Format => File.Format;

    public string Target => File.Path;

    /// <exception cref="ConfigException">WP_TEST_RESCUE_UP_MS / _DOWN_MS is set but not a whole number of ms.</exception>
    public ISinkBackend Create(TimeProvider time) =>
        new TestRescueBackend(new FileSinkBackend(File), TestRescueSchedule.From(UpMs, DownMs), time);
}
