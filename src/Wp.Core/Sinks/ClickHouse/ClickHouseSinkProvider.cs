using Wp.Core.Config;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.ClickHouse;

/// <summary>
/// Connector type <c>clickhouse</c> (docs/configuration.md), connector <c>clickhouse_sink</c>: each batch is one
/// <c>INSERT … FORMAT TabSeparated</c> over ClickHouse's HTTP interface. Params as postgres_sink;
/// endpoint is the HTTP base address, default http://127.0.0.1:8123.
/// </summary>
internal sealed class ClickHouseSinkProvider : ISinkProvider
{
    public const string TypeName = "clickhouse";

    public static ClickHouseSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        new()
        {
            Id = "clickhouse_sink",
            Type = TypeName,
            AllowOverride = DatabaseSinkOptions.Keys,
            Params = new Dictionary<string, object> { ["endpoint"] = "http://127.0.0.1:8123", ["create_table"] = false },
        },
    ];

    public ISinkSettings? Read(SinkParams parameters)
    {
        if (DatabaseSinkOptions.Read(parameters, "http://127.0.0.1:8123") is not { } options)
        {
            return null;
        }

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            parameters.Problem("endpoint", $"param 'endpoint' of {parameters.OwnerName} must be an http:// or https:// address (ClickHouse's HTTP interface)");
            return null;
        }

        return new ClickHouseSinkSettings(options);
    }
}

/// <summary>A clickhouse sink's settings.</summary>
internal sealed record ClickHouseSinkSettings(DatabaseSinkOptions Options) : ISinkSettings
{
    public string Target => $"clickhouse {Options}";

    public bool IsRemote => true;

    public ISinkBackend Create(TimeProvider time) => new ClickHouseSinkBackend(Options);
}
