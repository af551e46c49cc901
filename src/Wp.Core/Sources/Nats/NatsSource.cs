using System.Text;
using System.Text.Unicode;
using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Wp.Core.Sources.Acks;
using Wp.Core.Sources.Net;
using Wp.Core.Timing;

namespace Wp.Core.Sources.Nats;

/// <summary>
/// <c>nats_src</c> (docs/sources.md): pulls messages from a JetStream durable consumer, each message one
/// or more newline-separated lines. A pull becomes one <see cref="LineBatch"/> whose
/// <see cref="AckTicket"/> acknowledges the pull's messages only once every record made from them
/// is flushed by its sinks or in a flushed rescue file — a wparse that dies leaves them to be
/// redelivered after <c>ack_wait</c>. The server being down (at start or later) is waited out with
/// jittered backoff; the stream and the consumer are created when missing. Acks go out until the source is
/// disposed, which the engine does after the sinks have flushed for the last time.
/// </summary>
internal sealed class NatsSource : ISource, IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FetchExpires = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FinalAckWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Pulls' worth of messages one instance may hold unacknowledged before it pauses pulling.</summary>
    private const int MaxInFlightFetches = 4;

    private readonly NatsSourceSettings _settings;
    private readonly SourceRun _run;
    private readonly NetActivity _activity;
    private readonly Channel<IReadOnlyList<INatsJSMsg<byte[]>>> _acks = Channel.CreateUnbounded<IReadOnlyList<INatsJSMsg<byte[]>>>(
        new UnboundedChannelOptions { SingleReader = true });

    private NatsConnection? _connection;
    private Task _ackLoop = Task.CompletedTask;
    private int _outstanding;
    private int _inFlight;
    private long _messages;
    private long _acked;
    private long _ackFailures;

    public NatsSource(string key, NatsSourceSettings settings, SourceRun run)
    {
        _settings = settings;
        _run = run;
        _activity = new NetActivity(run.Time);
        Counters = new SourceCounters(key, settings.Target, isNetwork: true);
    }

    public SourceCounters Counters { get; }

    public async Task RunAsync(ChannelWriter<LineBatch> output, CancellationToken stop)
    {
        var key = Counters.Key;
        _connection = new NatsConnection(new NatsOpts
        {
            Url = _settings.Url,
            Name = "wparse " + key,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
        });
        _connection.ConnectionDisconnected += (_, _) =>
        {
            _run.Log.Warning("source {Key}: disconnected from NATS at {Url}; reconnecting (unacknowledged messages stay with the server)", key, _settings.Url);
            return ValueTask.CompletedTask;
        };
        _connection.ConnectionOpened += (_, _) =>
        {
            _run.Log.Information("source {Key}: connected to NATS at {Url}", key, _settings.Url);
            return ValueTask.CompletedTask;
        };
        _ackLoop = Task.Run(AckLoopAsync, CancellationToken.None);
        var js = new NatsJSContext(_connection);
        var backoff = new JitteredBackoff(FirstBackoff, MaxBackoff, _run.Time);
        INatsJSConsumer? consumer = null;
        var idle = TimeSpan.FromSeconds(_settings.IdleExitSec);
        var wasDown = false;
        while (!stop.IsCancellationRequested && !_run.Budget.IsExhausted)
        {
            try
            {
                if (consumer is null)
                {
                    await _connection.ConnectAsync();
                    await NatsStreams.EnsureAsync(js, _settings.Stream, _settings.Subject, stop);
                    consumer = await js.CreateOrUpdateConsumerAsync(_settings.Stream, new ConsumerConfig(_settings.Durable)
                    {
                        AckPolicy = ConsumerConfigAckPolicy.Explicit,
                        AckWait = TimeSpan.FromSeconds(_settings.AckWaitSec),
                        FilterSubject = _settings.Subject,
                        MaxAckPending = _settings.MaxAckPending,
                    }, stop);
                    Counters.AddConnection();
                    _activity.Touch();
                    if (wasDown)
                    {
                        _run.Log.Information("source {Key}: back on durable consumer {Durable} of stream {Stream} at {Url}", key, _settings.Durable, _settings.Stream, _settings.Url);
                    }
                    else
                    {
                        _run.Log.Information("source {Key}: pulling from durable consumer {Durable} of stream {Stream} at {Url}", key, _settings.Durable, _settings.Stream, _settings.Url);
                    }

                    backoff.Reset();
                    wasDown = false;
                }

                // Pull only while this instance holds few unacknowledged messages: what is pulled must be
                // stored and acked well within ack_wait, or the server hands it to another instance too.
                while (Volatile.Read(ref _inFlight) > MaxInFlightFetches * _settings.Fetch && !stop.IsCancellationRequested)
                {
                    await Task.Delay(InFlightPoll, _run.Time, stop);
                }

                // A stop does not cut a pull short (messages the server already sent would wait out
                // ack_wait); it ends within FetchExpires, and what it brought is handed over.
                var messages = new List<INatsJSMsg<byte[]>>(Math.Min(_settings.Fetch, 4096));
                using (var fetchLimit = new CancellationTokenSource(FetchExpires * 3, _run.Time))
                {
                    await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = _settings.Fetch, Expires = FetchExpires }, cancellationToken: fetchLimit.Token))
                    {
                        messages.Add(msg);
                    }
                }

                if (messages.Count == 0)
                {
                    if (!_run.Follow && _activity.IsIdleFor(idle))
                    {
                        _run.Log.Information("source {Key}: idle for {Seconds} s (idle_exit_sec): ending the batch", key, _settings.IdleExitSec);
                        break;
                    }

                    continue;
                }

                _activity.Touch();
                if (!await HandOverAsync(messages, output, stop))
                {
                    _run.Log.Information("source {Key}: --max-line reached", key);
                    break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException or IOException or OperationCanceledException)
            {
                // Server down, restarting, or not yet up: wait and start over (stream and consumer included).
                consumer = null;
                _activity.Touch(); // waiting for the server is not idleness
                var wait = backoff.Fail();
                _run.Log.Warning("source {Key}: NATS at {Url} unavailable ({Error}); retrying in {Delay} ms", key, _settings.Url, ex.Message, (int)wait.TotalMilliseconds);
                wasDown = true;
                try
                {
                    await Task.Delay(wait, _run.Time, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// After the sinks' last flush: waits for the outstanding tickets, sends their acks, and closes
    /// the connection. Units a failed sink abandoned stay unacknowledged (redelivered later).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var start = _run.Time.GetTimestamp();
        while (Volatile.Read(ref _outstanding) > 0 && _run.Time.GetElapsedTime(start) < FinalAckWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _run.Time);
        }

        _acks.Writer.TryComplete();
        await _ackLoop;
        if (_connection is not null)
        {
            try
            {
                // A round trip after the last ack: the server has every ack before we close.
                await _connection.PingAsync();
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException or OperationCanceledException)
            {
                _run.Log.Warning("source {Key}: last acks may not have reached the server ({Error}); those messages will be redelivered", Counters.Key, ex.Message);
            }

            await _connection.DisposeAsync();
        }

        _run.Log.Information("source {Key}: {Messages} messages, {Lines} lines, {Redelivered} redelivered, {Acked} acked, {Unacked} left unacknowledged",
            Counters.Key, Interlocked.Read(ref _messages), Counters.Lines, Counters.Redelivered, Interlocked.Read(ref _acked),
            Interlocked.Read(ref _messages) - Interlocked.Read(ref _acked));
    }

    /// <summary>One pull → one batch with one ticket. Returns false when the <c>--max-line</c> budget ran out (the rest is given back to the server).</summary>
    private async Task<bool> HandOverAsync(List<INatsJSMsg<byte[]>> messages, ChannelWriter<LineBatch> output, CancellationToken stop)
    {
        var split = messages.Select(m => Split(m.Data ?? [])).ToList();
        var total = split.Sum(s => s.Count);
        await TakeSpeedLimitAsync(total, stop);
        var accepted = new List<INatsJSMsg<byte[]>>(messages.Count);
        var batch = new LineBatch(Counters.Key, Math.Max(1, total));
        var budgetLeft = true;
        for (var i = 0; i < messages.Count; i++)
        {
            var lines = split[i];
            var granted = _run.Budget.Take(lines.Count);
            if (granted < lines.Count)
            {
                _run.Budget.Return(granted);
                budgetLeft = false;
                foreach (var rest in messages.Skip(i))
                {
                    await NakAsync(rest);
                }

                break;
            }

            if (messages[i].Metadata is { NumDelivered: > 1 })
            {
                Counters.AddRedelivered();
            }

            Counters.AddBytes(messages[i].Data?.Length ?? 0);
            foreach (var line in lines)
            {
                batch.Add(line);
            }

            accepted.Add(messages[i]);
        }

        if (accepted.Count == 0)
        {
            return budgetLeft;
        }

        Interlocked.Add(ref _messages, accepted.Count);
        Interlocked.Increment(ref _outstanding);
        Interlocked.Add(ref _inFlight, accepted.Count);
        var ticket = AckTicket.WhenComplete(() =>
        {
            _acks.Writer.TryWrite(accepted);
            Interlocked.Decrement(ref _outstanding);
            Interlocked.Add(ref _inFlight, -accepted.Count);
        });
        Counters.AddLines(batch.Count);
        if (batch.Count == 0)
        {
            ticket.Release(); // empty messages: nothing to store
        }
        else
        {
            batch.Ack = ticket;
            await output.WriteAsync(batch, CancellationToken.None);
        }

        return budgetLeft;
    }

    private async Task TakeSpeedLimitAsync(int lines, CancellationToken stop)
    {
        var granted = 0;
        try
        {
            while (granted < lines)
            {
                granted += await _run.Limiter.AcquireAsync(lines - granted, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: what was pulled is handed over (and acked once stored), not held back.
        }
    }

    private List<string> Split(byte[] data)
    {
        var lines = new List<string>(1);
        var span = data.AsSpan();
        while (span.Length > 0)
        {
            var newline = span.IndexOf((byte)'\n');
            var line = newline < 0 ? span : span[..newline];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (!Utf8.IsValid(line))
            {
                Counters.AddInvalidUtf8(1);
            }

            lines.Add(Encoding.UTF8.GetString(line));
            span = newline < 0 ? default : span[(newline + 1)..];
        }

        return lines;
    }

    private static async Task NakAsync(INatsJSMsg<byte[]> msg)
    {
        try
        {
            await msg.NakAsync();
        }
        catch (Exception ex) when (ex is NatsException or TimeoutException or OperationCanceledException)
        {
            // Not acked either way: redelivered after ack_wait.
        }
    }

    private async Task AckLoopAsync()
    {
        await foreach (var messages in _acks.Reader.ReadAllAsync())
        {
            foreach (var msg in messages)
            {
                try
                {
                    await msg.AckAsync();
                    Interlocked.Increment(ref _acked);
                }
                catch (Exception ex) when (ex is NatsException or TimeoutException or OperationCanceledException)
                {
                    if (Interlocked.Increment(ref _ackFailures) == 1)
                    {
                        _run.Log.Warning("source {Key}: ack failed ({Error}); unacknowledged messages are redelivered (stored twice at most)", Counters.Key, ex.Message);
                    }
                }
            }
        }
    }
}
