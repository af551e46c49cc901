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
/// <para><b>Streaming.</b> ClickHouse pays a fixed cost per INSERT (a new part, merged later), so
/// big batches load fastest; to have them without holding a batch's records in a list and its
/// rows in one buffer before anything is sent, the INSERT opens with the batch's first write and
/// its body follows the writes (<see cref="ChStreamedInsert"/>); the flush ends it.</para>
/// <para><b>Atomicity.</b> ClickHouse has no transactions, but one INSERT of a batch (far below
/// max_insert_block_size) is one block, written wholly or not at all — provided the server can
/// tell a body that broke off from one that ended: every INSERT body is a gzip stream whose
/// trailer comes last (<see cref="GzipStoredFrame"/>), so a request cut off by this process being
/// killed or the connection being lost stores nothing. A failure leaves nothing, and the runtime
/// diverts every record written since the last flush.</para>
/// <para><b>Bad data.</b> A row the server cannot parse for its column (error codes of the
/// "cannot parse / too large / type mismatch" family) fails the whole INSERT (a streamed one may
/// break off early: its rows are then sent again at the flush as one plain INSERT, whose answer
/// tells refused data from an outage). The batch is then
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
    private readonly TimeSpan _requestTimeout;
    private readonly ChTsvEncoder _encoder = new();
    private ChColumn[]? _columns;
    private string? _insert;
    private ChStreamedInsert? _open; // the INSERT of the rows encoded since the last flush
    private int _sent;               // bytes of the encoder's buffer sent on _open
    private bool _broken;            // _open broke: the rows go out again at the flush

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
            Timeout = Timeout.InfiniteTimeSpan, // a streamed INSERT is open while its batch fills: each step has its own limit
        };
        _requestTimeout = TimeSpan.FromMilliseconds(Math.Max(options.TimeoutMs, 1000) * 2);
        if (!string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password))
        {
            var user = string.IsNullOrEmpty(options.Username) ? "default" : options.Username;
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }
    }

    private string Label => $"table {_options.Table}";

    /// <summary>A batch is one INSERT, sent while the sink worker writes its records.</summary>
    public bool StreamsBatches => true;

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken) =>
        _encoder.ExclusiveAsync(() => Guarded(() => AppendAsync(batch, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>Ends the open INSERT: its rows are stored, or refused rows are isolated and the rest stored.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        _encoder.ExclusiveAsync(() => Guarded(() => CommitAsync(cancellationToken), cancellationToken), cancellationToken);

    private async ValueTask AppendAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var columns = _columns ??= await ResolveColumnsAsync(batch, cancellationToken);
        _insert ??= $"INSERT INTO {_options.Database}.{_options.Table} ({string.Join(", ", columns.Select(c => c.Name))}) FORMAT TabSeparated";
        _encoder.Append(batch, columns, Label);
        await SendAsync(cancellationToken);
        _encoder.ThrowIfRejected();
    }

    // Sends the rows encoded since the last send on the open INSERT (opened by the first rows).
    // When the request broke (the server refused data, or failed), the rows wait for the flush,
    // which sends them again as one plain request whose answer tells which.
    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        var end = _encoder.ByteCount;
        if (_broken || end <= _sent)
        {
            return;
        }

        _open ??= new ChStreamedInsert(_http, Url(_insert), _requestTimeout);
        if (await _open.WriteAsync(_encoder.Bytes(_sent, end), cancellationToken))
        {
            _sent = end;
            return;
        }

        _broken = true;
        await AbortAsync();
    }

    private async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _encoder.Rejected.Clear(); // the writes reported theirs
        if (_encoder.RowCount == 0)
        {
            return;
        }

        await SendAsync(cancellationToken);
        if (!await TryCompleteAsync(cancellationToken))
        {
            // The stream broke: one INSERT of every row, bisected into more when the server
            // refuses some of their data.
            await RejectIsolation.RunAsync(
                _encoder.RowCount,
                (start, length) => TryInsertAsync(start, length, cancellationToken),
                (index, message) => _encoder.Rejected.Add(new RejectedRecord(_encoder.Records[index], $"{Label}: {message}")));
        }

        var rejected = _encoder.Rejected.ToList();
        Reset();
        if (rejected.Count > 0)
        {
            throw new SinkRecordsRejectedException(rejected);
        }
    }

    // True when the streamed INSERT stored every row; false when there is none or the server
    // refused data (the rows are sent again); throws on any other answer.
    private async ValueTask<bool> TryCompleteAsync(CancellationToken cancellationToken)
    {
        if (_open is not { } open || _broken)
        {
            return false;
        }

        _open = null;
        HttpResponseMessage response;
        try
        {
            response = await open.CompleteAsync();
        }
        catch (HttpRequestException)
        {
            return false; // the connection broke: the plain request says whether the server is there
        }
        finally
        {
            await open.DisposeAsync();
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return ErrorCode(text) is { } code && s_dataErrors.Contains(code)
                ? false
                : throw new SinkUnavailableException($"clickhouse: HTTP {(int)response.StatusCode}: {Shorten(text)}");
        }
    }

    // Every failure but refused data is an outage: the rows since the last flush are dropped here
    // (the runtime diverts them) and the next write starts afresh, columns looked up again.
    private async ValueTask Guarded(Func<ValueTask> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not SinkRecordsRejectedException and not OperationCanceledException)
        {
            await FailAsync();
            throw ex as SinkUnavailableException ?? new SinkUnavailableException($"clickhouse: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync();
            throw new SinkUnavailableException("clickhouse: request timed out", ex); // a request's own timeout
        }
    }

    private async ValueTask FailAsync()
    {
        _columns = null;
        _insert = null;
        await AbortAsync();
        Reset();
    }

    private void Reset()
    {
        _encoder.Clear();
        _sent = 0;
        _broken = false;
    }

    private async ValueTask AbortAsync()
    {
        if (_open is { } open)
        {
            _open = null;
            await open.DisposeAsync();
        }
    }

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
        await _encoder.ExclusiveAsync(AbortAsync, CancellationToken.None); // rows never flushed are not stored
        await _encoder.DisposeAsync();
    }

    // One INSERT of the encoded rows [start, start+length): null when stored, the server's message when it refused their data.
    private async Task<string?> TryInsertAsync(int start, int length, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(GzipStoredFrame.Wrap(_encoder.Rows(start, length).Span)); // see GzipStoredFrame: all or nothing
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await PostAsync(_insert, content, cancellationToken);
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
        using var response = await PostAsync(null, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new SinkUnavailableException($"clickhouse: HTTP {(int)response.StatusCode}: {Shorten(text)}");
    }

    private async Task<HttpResponseMessage> PostAsync(string? query, HttpContent content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        return await _http.PostAsync(Url(query), content, timeout.Token);
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
