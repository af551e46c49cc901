using Npgsql;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.Postgres;

/// <summary>
/// Writes each batch to a PostgreSQL table with one binary COPY, which is one transaction (docs/configuration.md).
/// </summary>
/// <remarks>
/// <para><b>Outage vs bad data.</b> A failure to connect, a dropped connection, a server shutting
/// down, a timeout — anything that is not about a row's content — propagates (as
/// <see cref="SinkUnavailableException"/>) before the transaction commits, so the batch is wholly
/// absent and the runtime diverts it whole. A row the server refuses for its content (SQLSTATE class
/// 22 data exception or 23 constraint violation) does not fail the batch: COPY is all-or-nothing,
/// so the batch is then bisected under savepoints of one transaction (<see cref="RejectIsolation"/>)
/// until each refused row stands alone; the good rows commit together and the refused ones are
/// reported through <see cref="SinkRecordsRejectedException"/> with the server's message. A batch
/// without refused rows costs one round trip: the COPY alone, no BEGIN/SAVEPOINT/COMMIT.</para>
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
    private static readonly ReadOnlyMemory<byte> s_header = PgCopyEncoder.Header.ToArray();
    private static readonly ReadOnlyMemory<byte> s_trailer = PgCopyEncoder.Trailer.ToArray();
    private readonly PgCopyEncoder _encoder = new();
    private PgColumn[]? _columns;
    private string? _copy;

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
            NoResetOnClose = true, // the sink never changes session state: no DISCARD ALL per batch
        };
        var slim = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        _source = slim.Build();
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
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            var columns = _columns ??= await ResolveColumnsAsync(connection, batch, cancellationToken);
            _copy ??= $"COPY {Quote(_options.Table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
            _encoder.Encode(batch, columns, Label);
            var rows = _encoder.RowCount;
            if (rows > 0 && await TryCopyAsync(connection, 0, rows, cancellationToken) is { } refused)
            {
                await IsolateRefusedAsync(connection, rows, refused, cancellationToken);
            }

            if (_encoder.Rejected.Count > 0)
            {
                throw new SinkRecordsRejectedException([.. _encoder.Rejected]);
            }
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

    public async ValueTask DisposeAsync()
    {
        await _encoder.DisposeAsync(); // after any abandoned write, which the command timeout bounds
        await _source.DisposeAsync();
    }

    // A restarted server leaves broken connections in the pool: drop them all after any failure.
    private void Reset()
    {
        _columns = null;
        _copy = null;
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

    // The whole batch failed for its data: find the refused rows by bisection under savepoints of one
    // transaction, so the good rows commit together. A single row needs no second attempt.
    private async Task IsolateRefusedAsync(NpgsqlConnection connection, int rows, string refused, CancellationToken cancellationToken)
    {
        if (rows == 1)
        {
            _encoder.Rejected.Add(new RejectedRecord(_encoder.Records[0], $"{Label}: {refused}"));
            return;
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await RejectIsolation.RunAsync(
            rows,
            async (start, length) =>
            {
                await tx.SaveAsync("wp_slice", cancellationToken);
                var error = await TryCopyAsync(connection, start, length, cancellationToken);
                await (error is null ? tx.ReleaseAsync("wp_slice", cancellationToken) : tx.RollbackAsync("wp_slice", cancellationToken));
                return error;
            },
            (index, message) => _encoder.Rejected.Add(new RejectedRecord(_encoder.Records[index], $"{Label}: {message}")));
        await tx.CommitAsync(cancellationToken);
    }

    // One COPY of the encoded rows [start, start+count): null when stored, the server's message when it refused their data.
    private async Task<string?> TryCopyAsync(NpgsqlConnection connection, int start, int count, CancellationToken cancellationToken)
    {
        try
        {
            // Disposing the stream ends the COPY; the server's verdict arrives then.
            await using (var copy = await connection.BeginRawBinaryCopyAsync(_copy!, cancellationToken))
            {
                await copy.WriteAsync(s_header, cancellationToken);
                await copy.WriteAsync(_encoder.Rows(start, count), cancellationToken);
                await copy.WriteAsync(s_trailer, cancellationToken);
            }

            return null;
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
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
            result[i] = catalog.Find(c => string.Equals(c.Name, wanted[i], StringComparison.Ordinal))
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
}
