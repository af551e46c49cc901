using System.Net;
using Npgsql;
using NpgsqlTypes;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.Postgres;

/// <summary>
/// Writes each batch to a PostgreSQL table with one binary COPY inside one transaction (SPEC §7.4).
/// </summary>
/// <remarks>
/// <para><b>Outage vs bad data.</b> A failure to connect, a dropped connection, a server shutting
/// down, a timeout — anything that is not about a row's content — propagates (as
/// <see cref="SinkUnavailableException"/>) before the transaction commits, so the batch is wholly
/// absent and the runtime diverts it whole. A row the server refuses for its content (SQLSTATE class
/// 22 data exception or 23 constraint violation) does not fail the batch: COPY is all-or-nothing,
/// so the batch is bisected under savepoints of the same transaction (<see cref="RejectIsolation"/>)
/// until each refused row stands alone; the good rows commit together and the refused ones are
/// reported through <see cref="SinkRecordsRejectedException"/> with the server's message.</para>
/// <para><b>Types.</b> Columns are read from the catalog (after <c>CREATE TABLE IF NOT EXISTS</c>
/// when <c>create_table</c>): integer types, real/double/numeric, boolean, timestamptz/timestamp
/// (the instant, in UTC), inet, and text types. A value converts to its column's type or the record
/// is rejected before sending.</para>
/// <para>Built with <see cref="NpgsqlSlimDataSourceBuilder"/> (Native AOT, no reflection). One
/// caller at a time (the sink runtime's loop); the probe may run while no write does.</para>
/// </remarks>
internal sealed class PostgresSinkBackend : ISinkBackend
{
    private readonly DatabaseSinkOptions _options;
    private readonly NpgsqlDataSource _source;
    private PgColumn[]? _columns;

    public PostgresSinkBackend(DatabaseSinkOptions options)
    {
        _options = options;
        var (host, port) = options.HostPort(5432);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Database = options.Database,
            Username = string.IsNullOrEmpty(options.Username) ? "postgres" : options.Username,
            Password = string.IsNullOrEmpty(options.Password) ? null : options.Password,
            Timeout = Math.Max(1, options.TimeoutMs / 1000),
            CommandTimeout = Math.Max(1, options.TimeoutMs / 1000),
            Pooling = true,
            MaxPoolSize = 4,
            ApplicationName = "wp",
        };
        var slim = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        slim.EnableNetworkTypes();
        _source = slim.Build();
    }

    private string Label => $"table {_options.Table}";

    public async ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            var columns = _columns ??= await ResolveColumnsAsync(connection, batch, cancellationToken);
            var rows = RowBatch.From(batch, columns.Select(c => c.Column).ToList(), Label, (int c, object value, out object? converted, out string? error) => columns[c].TryConvert(value, out converted, out error));
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var copy = $"COPY {Quote(_options.Table)} ({string.Join(", ", columns.Select(c => Quote(c.Column.Name)))}) FROM STDIN (FORMAT BINARY)";
            await RejectIsolation.RunAsync(
                rows.Rows.Count,
                (start, length) => TryCopyAsync(connection, tx, copy, columns, rows.Rows, start, length, cancellationToken),
                (index, message) => rows.Rejected.Add(new RejectedRecord(rows.Records[index], $"{Label}: {message}")));
            await tx.CommitAsync(cancellationToken);
            rows.ThrowIfRejected();
        }
        catch (Exception ex) when (ex is not SinkRecordsRejectedException and not OperationCanceledException)
        {
            Reset();
            throw Unavailable(ex);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask; // each batch is committed

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Reset();
            throw Unavailable(ex);
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    // A restarted server leaves broken connections in the pool: drop them all after any failure.
    private void Reset()
    {
        _columns = null;
        _source.Clear();
    }

    private static SinkUnavailableException Unavailable(Exception ex) =>
        ex as SinkUnavailableException ?? new SinkUnavailableException($"postgres: {Describe(ex)}", ex);

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        _ when ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };

    // One attempt of the bisection: COPY rows [start, start+length) under a savepoint.
    private static async Task<string?> TryCopyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string copy, PgColumn[] columns, List<object?[]> rows, int start, int length, CancellationToken cancellationToken)
    {
        await tx.SaveAsync("wp_slice", cancellationToken);
        try
        {
            await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
            {
                for (var r = start; r < start + length; r++)
                {
                    await importer.StartRowAsync(cancellationToken);
                    var row = rows[r];
                    for (var c = 0; c < columns.Length; c++)
                    {
                        await columns[c].WriteAsync(importer, row[c], cancellationToken);
                    }
                }

                await importer.CompleteAsync(cancellationToken);
            }

            await tx.ReleaseAsync("wp_slice", cancellationToken);
            return null;
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            await tx.RollbackAsync("wp_slice", cancellationToken);
            return $"{ex.MessageText}{(ex.Detail is { Length: > 0 } d ? " (" + d + ")" : "")}";
        }
    }

    /// <summary>SQLSTATE class 22 (data exception) and 23 (integrity constraint violation): the row, not the server.</summary>
    internal static bool IsDataError(PostgresException ex) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    private async Task<PgColumn[]> ResolveColumnsAsync(NpgsqlConnection connection, IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (_options.CreateTable)
        {
            var inferred = ColumnValues.Infer(_options.Columns, batch);
            var ddl = $"CREATE TABLE IF NOT EXISTS {Quote(_options.Table)} ({string.Join(", ", inferred.Select(c => $"{Quote(c.Name)} {CreateType(c.Kind)}"))})";
            await using var create = new NpgsqlCommand(ddl, connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var catalog = new List<PgColumn>();
        await using (var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _options.Table });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                catalog.Add(PgColumn.From(reader.GetString(0), reader.GetString(1)));
            }
        }

        if (catalog.Count == 0)
        {
            throw new SinkUnavailableException($"postgres: table '{_options.Table}' does not exist in database '{_options.Database}' (set create_table = true to create it)");
        }

        if (_options.Columns is not { } wanted)
        {
            return [.. catalog];
        }

        var result = new PgColumn[wanted.Count];
        for (var i = 0; i < wanted.Count; i++)
        {
            result[i] = catalog.Find(c => string.Equals(c.Column.Name, wanted[i], StringComparison.Ordinal))
                ?? throw new SinkUnavailableException($"postgres: table '{_options.Table}' has no column '{wanted[i]}'");
        }

        return result;
    }

    /// <summary>The PostgreSQL type create_table gives a column of <paramref name="kind"/>.</summary>
    internal static string CreateType(ColumnKind kind) => kind switch
    {
        ColumnKind.Int => "bigint",
        ColumnKind.Float => "double precision",
        ColumnKind.Bool => "boolean",
        ColumnKind.Time => "timestamptz",
        ColumnKind.Ip => "inet",
        _ => "text",
    };

    private static string Quote(string identifier) => $"\"{identifier}\"";

    /// <summary>A table column with its PostgreSQL type, converting and writing values for binary COPY.</summary>
    private sealed class PgColumn
    {
        private readonly NpgsqlDbType _dbType;

        private PgColumn(TableColumn column, NpgsqlDbType dbType, string dataType)
        {
            Column = column;
            _dbType = dbType;
            DataType = dataType;
        }

        public TableColumn Column { get; }

        public string DataType { get; }

        public static PgColumn From(string name, string dataType)
        {
            var (kind, dbType) = dataType switch
            {
                "smallint" => (ColumnKind.Int, NpgsqlDbType.Smallint),
                "integer" => (ColumnKind.Int, NpgsqlDbType.Integer),
                "bigint" => (ColumnKind.Int, NpgsqlDbType.Bigint),
                "real" => (ColumnKind.Float, NpgsqlDbType.Real),
                "double precision" => (ColumnKind.Float, NpgsqlDbType.Double),
                "numeric" => (ColumnKind.Float, NpgsqlDbType.Numeric),
                "boolean" => (ColumnKind.Bool, NpgsqlDbType.Boolean),
                "timestamp with time zone" => (ColumnKind.Time, NpgsqlDbType.TimestampTz),
                "timestamp without time zone" => (ColumnKind.Time, NpgsqlDbType.Timestamp),
                "inet" => (ColumnKind.Ip, NpgsqlDbType.Inet),
                "character varying" => (ColumnKind.Text, NpgsqlDbType.Varchar),
                "character" => (ColumnKind.Text, NpgsqlDbType.Char),
                _ => (ColumnKind.Text, NpgsqlDbType.Text),
            };
            return new PgColumn(new TableColumn(name, kind), dbType, dataType);
        }

        public bool TryConvert(object value, out object? converted, out string? error)
        {
            error = null;
            converted = value;
            switch (_dbType)
            {
                case NpgsqlDbType.Smallint when value is long l:
                    if (l is < short.MinValue or > short.MaxValue)
                    {
                        break;
                    }

                    converted = (short)l;
                    return true;
                case NpgsqlDbType.Integer when value is long l:
                    if (l is < int.MinValue or > int.MaxValue)
                    {
                        break;
                    }

                    converted = (int)l;
                    return true;
                case NpgsqlDbType.Real when value is double d:
                    converted = (float)d;
                    return true;
                case NpgsqlDbType.Real when value is long l:
                    converted = (float)l;
                    return true;
                case NpgsqlDbType.Double when value is long l:
                    converted = (double)l;
                    return true;
                case NpgsqlDbType.Numeric when value is double or long:
                    converted = Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
                    return true;
                case NpgsqlDbType.Timestamp when value is DateTime t:
                    converted = DateTime.SpecifyKind(t, DateTimeKind.Unspecified);
                    return true;
                default:
                    return true;
            }

            error = $"column '{Column.Name}' ({DataType}) cannot take {value}: out of range";
            return false;
        }

        public Task WriteAsync(NpgsqlBinaryImporter importer, object? value, CancellationToken cancellationToken) => value switch
        {
            null => importer.WriteNullAsync(cancellationToken),
            long l => importer.WriteAsync(l, _dbType, cancellationToken),
            int i => importer.WriteAsync(i, _dbType, cancellationToken),
            short s => importer.WriteAsync(s, _dbType, cancellationToken),
            double d => importer.WriteAsync(d, _dbType, cancellationToken),
            float f => importer.WriteAsync(f, _dbType, cancellationToken),
            decimal m => importer.WriteAsync(m, _dbType, cancellationToken),
            bool b => importer.WriteAsync(b, _dbType, cancellationToken),
            DateTime t => importer.WriteAsync(t, _dbType, cancellationToken),
            IPAddress ip => importer.WriteAsync(ip, _dbType, cancellationToken),
            _ => importer.WriteAsync(value.ToString() ?? "", _dbType, cancellationToken),
        };
    }
}
