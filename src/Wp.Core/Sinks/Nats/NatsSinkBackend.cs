using System.Security.Cryptography;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Sources.Nats;

namespace Wp.Core.Sinks.Nats;

/// <summary>
/// Publishes each record of a batch as one JetStream message and waits for every publish ack. No ack
/// within the timeout (server down, stream gone) throws, and the sink runtime treats the sink as down
/// (rescue files, probes, swap back; README.md, sink interruption and recovery). Safe to retry, may duplicate what was acked before
/// the failure — unless <c>dedupe</c> is on. Connects lazily on the first write or probe.
/// </summary>
internal sealed class NatsSinkBackend : ISinkBackend
{
    private const int PublishWindow = 1000;

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
        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var js = await ReadyAsync(cancellationToken);
        for (var start = 0; start < batch.Count; start += PublishWindow)
        {
            var count = Math.Min(PublishWindow, batch.Count - start);
            var publishes = new Task<PubAckResponse>[count];
            for (var i = 0; i < count; i++)
            {
                var payload = Payload(batch[start + i]);
                var opts = _settings.Dedupe ? new NatsJSPubOpts { MsgId = Convert.ToHexString(SHA256.HashData(payload)) } : null;
                publishes[i] = js.PublishAsync(_settings.Subject, payload, opts: opts, cancellationToken: publishing.Token).AsTask();
            }

            // The timeout is a silence limit: each ack must come within timeout_ms of the one before it,
            // so a long batch on a busy server is not mistaken for a dead one.
            foreach (var publish in publishes)
            {
                PubAckResponse ack;
                try
                {
                    ack = await publish.WaitAsync(_settings.Timeout, _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    await publishing.CancelAsync();
                    throw new TimeoutException($"nats_sink {_settings.Target}: no publish ack within {_settings.Timeout.TotalMilliseconds} ms");
                }

                if (!ack.Duplicate) // with dedupe, a message the stream already holds is stored: success
                {
                    ack.EnsureSuccess();
                }
            }
        }
    }

    /// <summary>Nothing to do: a publish counts only once the server acknowledged it (stored).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        _streamReady = false; // after an outage the stream is looked up (or created) again
        await ReadyAsync(cancellationToken);
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

        await _connection.ConnectAsync().AsTask().WaitAsync(_settings.Timeout, _time, cancellationToken);
        if (!_streamReady)
        {
            using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await NatsStreams.EnsureAsync(_js!, _settings.Stream, _settings.Subject, linked.Token);
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
