using Wp.Core.Config;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.Postgres;

/// <summary>
/// Connector type <c>postgres</c> (SPEC §7.4), connector <c>postgres_sink</c>: each batch is one
/// binary COPY in one transaction (Npgsql). Params: endpoint (host:port, default 127.0.0.1:5432),
/// database, table, username, password, columns, create_table, timeout_ms; all overridable.
/// </summary>
internal sealed class PostgresSinkProvider : ISinkProvider
{
    public const string TypeName = "postgres";

    public static PostgresSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        new()
        {
            Id = "postgres_sink",
            Type = TypeName,
            AllowOverride = DatabaseSinkOptions.Keys,
            Params = new Dictionary<string, object> { ["endpoint"] = "127.0.0.1:5432", ["create_table"] = false },
        },
    ];

    public ISinkSettings? Read(SinkParams parameters) =>
        DatabaseSinkOptions.Read(parameters, "127.0.0.1:5432") is { } options ? new PostgresSinkSettings(options) : null;
}

/// <summary>A postgres sink's settings.</summary>
internal sealed record PostgresSinkSettings(DatabaseSinkOptions Options) : ISinkSettings
{
    public string Target => $"postgres {Options}";

    public bool IsRemote => true;

    public ISinkBackend Create(TimeProvider time) => new PostgresSinkBackend(Options);
}
