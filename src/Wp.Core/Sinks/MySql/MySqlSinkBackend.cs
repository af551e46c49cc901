using MySqlConnector;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.MySql;

/// <summary>
/// Writes each batch to a MySQL or MariaDB table as a multi-row INSERT of literal values
/// (<see cref="MySqlRowEncoder"/>) inside one transaction — several INSERTs when the rows pass half
/// the server's max_allowed_packet (docs/configuration.md).
/// </summary>
/// <remarks>
/// <para><b>Outage vs bad data.</b> The session runs in strict mode (a value a column cannot take
/// is an error, never a silent truncation) with time_zone +00:00. A refused value fails its INSERT
/// statement only — InnoDB rolls back the statement, not the transaction — so the batch is bisected
/// with further INSERTs in the same transaction (<see cref="RejectIsolation"/>) until each refused
/// row stands alone; the good rows commit together, the refused ones go to the error group with the
/// server's message. Anything else (refused or lost connection, server gone, timeout) propagates
/// before the commit: the batch is wholly absent and the runtime diverts it.</para>
/// <para><b>Types.</b> create_table makes BIGINT, DOUBLE, BOOLEAN, DATETIME(6) (UTC), INET6 on
/// MariaDB 10.5+ (else VARCHAR(45)) and TEXT columns.</para>
/// </remarks>
internal sealed class MySqlSinkBackend : ISinkBackend
{
    // Errors about a row's content (strict mode, constraints), as opposed to the server or the link.
    private static readonly HashSet<int> s_dataErrors =
    [
        1048, // column cannot be null
        1062, // duplicate entry
        1264, // out of range value
        1292, // incorrect datetime/double value (truncated wrong value)
        1366, // incorrect value for column
        1365, // division by 0
        1406, // data too long
        1452, // foreign key
        1690, // value out of range
        3819, // check constraint (MySQL)
        4025, // check constraint (MariaDB)
        4078, // illegal value for type (MariaDB INET6)
    ];

    private readonly DatabaseSinkOptions _options;
    private readonly string _connectionString;
    private readonly MySqlRowEncoder _encoder = new();
    private MySqlColumn[]? _columns;
    private string? _insert;
    private long _maxRowBytes = long.MaxValue; // per statement: half the server's max_allowed_packet

    public MySqlSinkBackend(DatabaseSinkOptions options)
    {
        _options = options;
        var (host, port) = options.HostPort(3306);
        _connectionString = new MySqlConnectionStringBuilder
        {
            Server = host,
            Port = (uint)port,
            Database = options.Database,
            UserID = string.IsNullOrEmpty(options.Username) ? "root" : options.Username,
            Password = options.Password,
            ConnectionTimeout = (uint)Math.Max(1, options.TimeoutMs / 1000),
            DefaultCommandTimeout = (uint)Math.Max(1, options.TimeoutMs / 1000),
            Pooling = true,
            MaximumPoolSize = 4,
            ApplicationName = "wp",
        }.ConnectionString;
    }

    private string Label => $"table {_options.Table}";

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
        _encoder.ExclusiveAsync(() => WriteBatchAsync(batch, cancellationToken), cancellationToken);

    private async ValueTask WriteBatchAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var columns = _columns ??= await ResolveColumnsAsync(connection, batch, cancellationToken);
            _insert ??= $"INSERT INTO `{_options.Table}` ({string.Join(", ", columns.Select(c => $"`{c.Name}`"))}) VALUES ";
            _encoder.Encode(batch, columns, Label);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var (first, count) in _encoder.Runs(_maxRowBytes))
            {
                await RejectIsolation.RunAsync(
                    count,
                    (start, length) => TryInsertAsync(connection, tx, first + start, length, cancellationToken),
                    (index, message) => _encoder.Rejected.Add(new RejectedRecord(_encoder.Records[first + index], $"{Label}: {message}")));
            }

            await tx.CommitAsync(cancellationToken);
            _encoder.ThrowIfRejected();
        }
        catch (Exception ex) when (ex is not SinkRecordsRejectedException and not OperationCanceledException)
        {
            _columns = null;
            _insert = null;
            await MySqlConnection.ClearAllPoolsAsync(CancellationToken.None); // a restarted server leaves broken pooled connections
            throw ex as SinkUnavailableException ?? new SinkUnavailableException($"mysql: {ex.Message}", ex);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await MySqlConnection.ClearAllPoolsAsync(CancellationToken.None);
            throw new SinkUnavailableException($"mysql: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => _encoder.DisposeAsync();

    private async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var session = new MySqlCommand("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'", connection);
            await session.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // One attempt of the bisection: INSERT rows [start, start+length). A refused value fails only
    // this statement (InnoDB statement rollback); the transaction and earlier slices stay.
    private async Task<string?> TryInsertAsync(MySqlConnection connection, MySqlTransaction tx, int start, int length, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(_encoder.Statement(_insert!, start, length), connection, tx);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }
        catch (MySqlException ex) when (s_dataErrors.Contains(ex.Number))
        {
            return ex.Message;
        }
    }

    private async Task<MySqlColumn[]> ResolveColumnsAsync(MySqlConnection connection, IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        // A statement longer than max_allowed_packet is refused like an outage, batch after batch:
        // a large batch is sent as several INSERTs of the same transaction instead.
        await using (var limit = new MySqlCommand("SELECT @@max_allowed_packet", connection))
        {
            _maxRowBytes = Convert.ToInt64(await limit.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) / 2;
        }

        if (_options.CreateTable)
        {
            string version;
            await using (var ask = new MySqlCommand("SELECT VERSION()", connection))
            {
                version = Convert.ToString(await ask.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            // MariaDB has had an address type (INET6) since 10.5; MySQL has none.
            var inet = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
                && Version.TryParse(version.Split('-')[0], out var v) && v >= new Version(10, 5) ? "INET6" : "VARCHAR(45)";
            var inferred = ColumnValues.Infer(_options.Columns, batch);
            var ddl = $"CREATE TABLE IF NOT EXISTS `{_options.Table}` ({string.Join(", ", inferred.Select(c => $"`{c.Name}` {CreateType(c.Kind, inet)}"))})";
            await using var create = new MySqlCommand(ddl, connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var catalog = new List<MySqlColumn>();
        await using (var command = new MySqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = @t ORDER BY ordinal_position",
            connection))
        {
            command.Parameters.AddWithValue("@t", _options.Table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var type = reader.GetString(1);
                catalog.Add(new MySqlColumn(reader.GetString(0), type, KindOf(type), string.Equals(type, "inet6", StringComparison.OrdinalIgnoreCase)));
            }
        }

        if (catalog.Count == 0)
        {
            throw new SinkUnavailableException($"mysql: table '{_options.Table}' does not exist in database '{_options.Database}' (set create_table = true to create it)");
        }

        if (_options.Columns is not { } wanted)
        {
            return [.. catalog];
        }

        return wanted.Select(w => catalog.Find(c => string.Equals(c.Name, w, StringComparison.OrdinalIgnoreCase)) is { } found
            ? found
            : throw new SinkUnavailableException($"mysql: table '{_options.Table}' has no column '{w}'")).ToArray();
    }

    /// <summary>The column type create_table gives a column of <paramref name="kind"/>.</summary>
    internal static string CreateType(ColumnKind kind, string inet = "INET6") => kind switch
    {
        ColumnKind.Int => "BIGINT",
        ColumnKind.Float => "DOUBLE",
        ColumnKind.Bool => "BOOLEAN",
        ColumnKind.Time => "DATETIME(6)",
        ColumnKind.Ip => inet,
        _ => "TEXT",
    };

    internal static ColumnKind KindOf(string dataType) => dataType.ToLowerInvariant() switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "bigint" => ColumnKind.Int,
        "float" or "double" or "decimal" => ColumnKind.Float,
        "datetime" or "timestamp" => ColumnKind.Time,
        "inet6" or "inet4" => ColumnKind.Ip,
        _ => ColumnKind.Text,
    };
}
