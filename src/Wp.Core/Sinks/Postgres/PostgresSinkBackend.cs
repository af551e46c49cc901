using Npgsql;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.Postgres;

/// <summary>
/// Writes each batch to a PostgreSQL table with one binary COPY, which is one transaction (docs/configuration.md).
/// </summary>
/// <remarks>
/// <para><b>Streaming.</b> The COPY begins with the batch's first write and its rows follow the
/// writes; the flush ends it, which commits it. A COPY that does not end — cancelled on a failure,
/// or its connection lost with this process — stores nothing. So a batch's records wait in no list
/// and its rows in no buffer to be sent all at once.</para>
/// <para><b>Outage vs bad data.</b> A failure to connect, a dropped connection, a server shutting
/// down, a timeout — anything that is not about a row's content — propagates (as
/// <see cref="SinkUnavailableException"/>) before the transaction commits, so the batch is wholly
/// absent and the runtime diverts it whole. A row the server refuses for its content (SQLSTATE class
/// 22 data exception or 23 constraint violation) does not fail the batch: COPY is all-or-nothing,
/// so the batch is then bisected under savepoints of one transaction (<see cref="RejectIsolation"/>)
/// until each refused row stands alone; the good rows commit together and the refused ones are
/// reported through <see cref="SinkRecordsRejectedException"/> with the server's message (the
/// server says so when the COPY ends, at the flush). A batch without refused rows costs one COPY
/// alone, no BEGIN/SAVEPOINT/COMMIT.</para>
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
    private NpgsqlConnection? _connection; // held while a statement is open
    private NpgsqlRawCopyStream? _open;    // the COPY of the rows encoded since the last flush
    private int _sent;                     // bytes of the encoder's buffer sent on _open
    private string? _refused;              // the server refused the COPY's data: the flush isolates the rows

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

    /// <summary>A batch is one COPY, sent while the sink worker writes its records.</summary>
    public bool StreamsBatches => true;

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
        _encoder.ExclusiveAsync(() => Guarded(() => AppendAsync(batch, cancellationToken)), cancellationToken);

    /// <summary>Ends the open COPY, which commits it; refused rows are then isolated and the rest committed.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        _encoder.ExclusiveAsync(() => Guarded(() => CommitAsync(cancellationToken)), cancellationToken);

    private async ValueTask AppendAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        _connection ??= await _source.OpenConnectionAsync(cancellationToken);
        var columns = _columns ??= await ResolveColumnsAsync(_connection, batch, cancellationToken);
        _copy ??= $"COPY {Quote(_options.Table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        _encoder.Append(batch, columns, Label);
        await SendAsync(cancellationToken);
        _encoder.ThrowIfRejected();
    }

    // Sends the rows encoded since the last send on the open COPY (begun by the first rows). A
    // COPY the server ended for a row's content keeps the rows for the flush, which isolates them.
    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        var end = _encoder.ByteCount;
        if (_refused is not null || end <= _sent)
        {
            return;
        }

        try
        {
            if (_open is null)
            {
                _open = await _connection!.BeginRawBinaryCopyAsync(_copy!, cancellationToken);
                await _open.WriteAsync(s_header, cancellationToken);
            }

            await _open.WriteAsync(_encoder.Bytes(_sent, end), cancellationToken);
            _sent = end;
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            _refused = Refusal(ex);
            await AbortCopyAsync();
        }
    }

    private async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _encoder.Rejected.Clear(); // the writes reported theirs
        var rows = _encoder.RowCount;
        if (rows > 0)
        {
            await SendAsync(cancellationToken);
            if (_open is { } open)
            {
                _open = null;
                try
                {
                    // Disposing the stream ends the COPY, which commits it; the server's verdict arrives then.
                    await open.WriteAsync(s_trailer, cancellationToken);
                    await open.DisposeAsync();
                }
                catch (PostgresException ex) when (IsDataError(ex))
                {
                    _refused = Refusal(ex);
                }
            }

            if (_refused is { } refused)
            {
                _connection ??= await _source.OpenConnectionAsync(cancellationToken);
                await IsolateRefusedAsync(_connection, rows, refused, cancellationToken);
            }
        }

        var rejected = _encoder.Rejected.ToList();
        await EndStatementAsync();
        if (rejected.Count > 0)
        {
            throw new SinkRecordsRejectedException(rejected);
        }
    }

    // Every failure but refused data is an outage: the open COPY is cancelled (nothing of it is
    // stored; the runtime diverts its records) and the next write starts afresh.
    private async ValueTask Guarded(Func<ValueTask> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not SinkRecordsRejectedException and not OperationCanceledException)
        {
            await EndStatementAsync();
            Reset();
            throw Unavailable(ex);
        }
    }

    // Drops the statement's rows and gives its connection back (an open COPY is cancelled first:
    // disposing it would commit it).
    private async ValueTask EndStatementAsync()
    {
        await AbortCopyAsync();
        _encoder.Clear();
        _sent = 0;
        _refused = null;
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private async ValueTask AbortCopyAsync()
    {
        if (_open is not { } open)
        {
            return;
        }

        _open = null;
        try
        {
            await open.CancelAsync();
        }
        catch (Exception)
        {
            // The connection is gone or the server already ended the COPY: nothing of it was stored either way.
        }

        try
        {
            await open.DisposeAsync();
        }
        catch (Exception)
        {
            // As above.
        }
    }

    private static string Refusal(PostgresException ex) => $"{ex.MessageText}{(ex.Detail is { Length: > 0 } d ? " (" + d + ")" : "")}";

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
        await _encoder.ExclusiveAsync(EndStatementAsync, CancellationToken.None); // after any abandoned write, which the command timeout bounds; rows never flushed are not stored
        await _encoder.DisposeAsync();
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
            return Refusal(ex);
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
