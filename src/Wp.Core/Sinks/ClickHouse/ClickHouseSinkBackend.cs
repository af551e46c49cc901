using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.ClickHouse;

/// <summary>
/// Writes each batch to a ClickHouse table with one <c>INSERT … FORMAT TabSeparated</c> over HTTP
/// (docs/configuration.md, database sinks); <see cref="HttpClient"/> only, no driver.
/// </summary>
/// <remarks>
/// <para><b>Atomicity.</b> ClickHouse has no transactions, but one INSERT of a batch (far below
/// max_insert_block_size) is one block, written wholly or not at all: a failed request leaves
/// nothing, and the runtime diverts the whole batch.</para>
/// <para><b>Bad data.</b> A row the server cannot parse for its column (error codes of the
/// "cannot parse / too large / type mismatch" family) fails the whole INSERT. The batch is then
/// bisected with further INSERTs (<see cref="RejectIsolation"/>) until each refused row stands
/// alone; it goes to the error group with the server's message. Without transactions the slices
/// commit one by one: should the server go down in the middle of that isolation, the slices already
/// written are written again when the batch is replayed from its rescue file (a duplicate risk
/// limited to batches that had a bad row and met an outage at that moment).</para>
/// <para><b>Types.</b> create_table makes Nullable Int64, Float64, UInt8 (bool), DateTime('UTC'),
/// String columns (IP addresses are String: Debian's 18.16 has no IPv4 type), engine MergeTree
/// ordered by nothing. A missing field is NULL in a Nullable column, the type's default (0, empty,
/// zero time) otherwise. Times are sent as UTC wall clocks (<see cref="ChTsvEncoder"/>).</para>
/// </remarks>
internal sealed partial class ClickHouseSinkBackend : ISinkBackend
{
    private static readonly HashSet<int> s_dataErrors = [6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 131];

    private readonly DatabaseSinkOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ChTsvEncoder _encoder = new();
    private ChColumn[]? _columns;
    private string? _insert;

    public ClickHouseSinkBackend(DatabaseSinkOptions options)
    {
        _options = options;
        _base = new Uri(options.Endpoint.TrimEnd('/') + "/");
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromMilliseconds(options.TimeoutMs),
        })
        {
            Timeout = TimeSpan.FromMilliseconds(Math.Max(options.TimeoutMs, 1000) * 2),
        };
        if (!string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password))
        {
            var user = string.IsNullOrEmpty(options.Username) ? "default" : options.Username;
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }
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
            var columns = _columns ??= await ResolveColumnsAsync(batch, cancellationToken);
            _insert ??= $"INSERT INTO {_options.Database}.{_options.Table} ({string.Join(", ", columns.Select(c => c.Name))}) FORMAT TabSeparated";
            _encoder.Encode(batch, columns, Label);
            await RejectIsolation.RunAsync(
                _encoder.RowCount,
                (start, length) => TryInsertAsync(start, length, cancellationToken),
                (index, message) => _encoder.Rejected.Add(new RejectedRecord(_encoder.Records[index], $"{Label}: {message}")));
            if (_encoder.Rejected.Count > 0)
            {
                throw new SinkRecordsRejectedException([.. _encoder.Rejected]);
            }
        }
        catch (Exception ex) when (ex is not SinkRecordsRejectedException and not OperationCanceledException)
        {
            _columns = null;
            _insert = null;
            throw ex as SinkUnavailableException ?? new SinkUnavailableException($"clickhouse: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            _columns = null;
            _insert = null;
            throw new SinkUnavailableException("clickhouse: request timed out", ex); // HttpClient's timeout
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await QueryAsync("SELECT 1", cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ex as SinkUnavailableException ?? new SinkUnavailableException($"clickhouse: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose(); // ends a write the runtime stopped waiting for
        await _encoder.DisposeAsync();
    }

    // One INSERT of the encoded rows [start, start+length): null when stored, the server's message when it refused their data.
    private async Task<string?> TryInsertAsync(int start, int length, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(_encoder.Rows(start, length));
        using var response = await _http.PostAsync(Url(_insert), content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (ErrorCode(text) is { } code && s_dataErrors.Contains(code))
        {
            return Shorten(text);
        }

        throw new SinkUnavailableException($"clickhouse: HTTP {(int)response.StatusCode}: {Shorten(text)}");
    }

    private async Task<ChColumn[]> ResolveColumnsAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (_options.CreateTable)
        {
            var inferred = ColumnValues.Infer(_options.Columns, batch);
            await QueryAsync(
                $"CREATE TABLE IF NOT EXISTS {_options.Database}.{_options.Table} ({string.Join(", ", inferred.Select(c => $"{c.Name} {CreateType(c.Kind)}"))}) ENGINE = MergeTree ORDER BY tuple()",
                cancellationToken);
        }

        var text = await QueryAsync(
            $"SELECT name, type FROM system.columns WHERE database = '{_options.Database}' AND table = '{_options.Table}' FORMAT TabSeparated",
            cancellationToken);
        var catalog = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .Select(parts => new ChColumn(parts[0], parts[1], KindOf(parts[1])))
            .ToList();
        if (catalog.Count == 0)
        {
            throw new SinkUnavailableException($"clickhouse: table '{_options.Database}.{_options.Table}' does not exist (set create_table = true to create it)");
        }

        if (_options.Columns is not { } wanted)
        {
            return [.. catalog];
        }

        return wanted.Select(w => catalog.Find(c => string.Equals(c.Name, w, StringComparison.Ordinal)) is { } found
            ? found
            : throw new SinkUnavailableException($"clickhouse: table '{_options.Table}' has no column '{w}'")).ToArray();
    }

    private async Task<string> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = await _http.PostAsync(Url(null), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new SinkUnavailableException($"clickhouse: HTTP {(int)response.StatusCode}: {Shorten(text)}");
    }

    private Uri Url(string? query) =>
        new(_base, $"?database={Uri.EscapeDataString(_options.Database)}{(query is null ? "" : "&query=" + Uri.EscapeDataString(query))}");

    /// <summary>The type create_table gives a column of <paramref name="kind"/>.</summary>
    internal static string CreateType(ColumnKind kind) => kind switch
    {
        ColumnKind.Int => "Nullable(Int64)",
        ColumnKind.Float => "Nullable(Float64)",
        ColumnKind.Bool => "Nullable(UInt8)",
        ColumnKind.Time => "Nullable(DateTime('UTC'))",
        _ => "Nullable(String)",
    };

    internal static ColumnKind KindOf(string type)
    {
        var t = type.StartsWith("Nullable(", StringComparison.Ordinal) ? type[9..^1] : type;
        return t switch
        {
            _ when t.StartsWith("Int", StringComparison.Ordinal) || t.StartsWith("UInt", StringComparison.Ordinal) => ColumnKind.Int,
            _ when t.StartsWith("Float", StringComparison.Ordinal) || t.StartsWith("Decimal", StringComparison.Ordinal) => ColumnKind.Float,
            _ when t.StartsWith("DateTime", StringComparison.Ordinal) => ColumnKind.Time,
            "IPv4" or "IPv6" => ColumnKind.Ip,
            _ => ColumnKind.Text,
        };
    }

    private static int? ErrorCode(string body) =>
        CodePattern().Match(body) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var code) ? code : null;

    private static string Shorten(string text)
    {
        text = text.Replace('\n', ' ').Trim();
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    [GeneratedRegex(@"Code: (\d+)")]
    private static partial Regex CodePattern();
}
