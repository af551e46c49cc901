using Wp.Core.Config;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.MySql;

/// <summary>
/// Connector type <c>mysql</c> (SPEC §7.4), connector <c>mysql_sink</c>, for MySQL and MariaDB:
/// each batch is one multi-row INSERT in one transaction (MySqlConnector). Params as postgres_sink;
/// endpoint default 127.0.0.1:3306.
/// </summary>
internal sealed class MySqlSinkProvider : ISinkProvider
{
    public const string TypeName = "mysql";

    public static MySqlSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        new()
        {
            Id = "mysql_sink",
            Type = TypeName,
            AllowOverride = DatabaseSinkOptions.Keys,
            Params = new Dictionary<string, object> { ["endpoint"] = "127.0.0.1:3306", ["create_table"] = false },
        },
    ];

    public ISinkSettings? Read(SinkParams parameters) =>
        DatabaseSinkOptions.Read(parameters, "127.0.0.1:3306") is { } options ? new MySqlSinkSettings(options) : null;
}

/// <summary>A mysql sink's settings.</summary>
internal sealed record MySqlSinkSettings(DatabaseSinkOptions Options) : ISinkSettings
{
    public string Target => $"mysql {Options}";

    public bool IsRemote => true;

    public ISinkBackend Create(TimeProvider time) => new MySqlSinkBackend(Options);
}
