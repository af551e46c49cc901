using System.Security.Cryptography;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Sources.Nats;

namespace Wp.Core.Sinks.Nats;

/// <summary>
/// Publishes each record of a batch as one JetStream message and waits for every publish ack. No ack
/// within the timeout (server down, stream gone) throws, and the sink runtime treats the sink as down
/// (rescue files, probes, swap back; SPEC §8.1). Safe to retry, may duplicate what was acked before
/// the failure — unless <c>dedupe</c> is on. Connects lazily on the first write or probe.
/// </summary>
internal sealed class NatsSinkBackend : ISinkBackend
{
    private readonly NatsSinkSettings _settings;
    private readonly TimeProvider _time;
    private readonly IRecordFormatter _formatter;
    private readonly TextBuffer _text = new();
    private NatsConnection? _connection;
    private NatsJSContext? _js;
    private bool _streamReady;

    public NatsSinkBackend(NatsSinkSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _formatter = RecordFormatters.ForName(settings.Format);
    }

    public async ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var js = await ReadyAsync(linked.Token);
        var publishes = new List<Task<NATS.Client.JetStream.Models.PubAckResponse>>(batch.Count);
        foreach (var record in batch)
        {
            var payload = Payload(record);
            var opts = _settings.Dedupe ? new NatsJSPubOpts { MsgId = Convert.ToHexString(SHA256.HashData(payload)) } : null;
            publishes.Add(js.PublishAsync(_settings.Subject, payload, opts: opts, cancellationToken: linked.Token).AsTask());
        }

        try
        {
            foreach (var ack in await Task.WhenAll(publishes))
            {
                ack.EnsureSuccess();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"nats_sink {_settings.Target}: no publish ack within {_settings.Timeout.TotalMilliseconds} ms");
        }
    }

    /// <summary>Nothing to do: a publish counts only once the server acknowledged it (stored).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        _streamReady = false; // after an outage the stream is looked up (or created) again
        await ReadyAsync(linked.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task<NatsJSContext> ReadyAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = new NatsConnection(new NatsOpts
            {
                Url = _settings.Url,
                Name = "wp nats_sink",
                ConnectTimeout = _settings.Timeout,
                MaxReconnectRetry = -1,
                ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
                ReconnectWaitMax = TimeSpan.FromSeconds(2),
            });
            _js = new NatsJSContext(_connection);
        }

        await _connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
        if (!_streamReady)
        {
            await NatsStreams.EnsureAsync(_js!, _settings.Stream, _settings.Subject, cancellationToken);
            _streamReady = true;
        }

        return _js!;
    }

    private byte[] Payload(Record record)
    {
        _text.Clear();
        _formatter.Format(record, _text);
        var chars = _text.Span;
        if (chars.Length > 0 && chars[^1] == '\n')
        {
            chars = chars[..^1];
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(chars)];
        Encoding.UTF8.GetBytes(chars, bytes);
        return bytes;
    }
}
