using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Wp.Core.Sources.Net;

/// <summary>
/// A TCP source (tcp_src, syslog_tcp_src; docs/sources.md): accepts any number of connections, each read
/// by its own loop with its own framing and batcher. A reader that cannot hand over its batch waits
/// before reading more, so a full pipeline closes the sender's TCP window instead of dropping.
/// In batch mode the source ends at the <c>--max-line</c> budget or after <c>idle_exit_sec</c> of silence.
/// No read position: what a peer sent and the kernel acknowledged is the peer's to resend.
/// </summary>
internal sealed class TcpListenerSource : ISource
{
    private const int ReadSize = 64 * 1024;
    private const int ReceiveBufferBytes = 256 * 1024;

    private readonly NetSourceSettings _settings;
    private readonly SourceRun _run;
    private readonly NetActivity _activity;

    public TcpListenerSource(string key, NetSourceSettings settings, SourceRun run)
    {
        _settings = settings;
        _run = run;
        _activity = new NetActivity(run.Time);
        Counters = new SourceCounters(key, settings.Target, isNetwork: true);
    }

    public SourceCounters Counters { get; }

    public async Task RunAsync(ChannelWriter<LineBatch> output, CancellationToken stop)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var listener = new TcpListener(new IPEndPoint(_settings.Address, _settings.Port));
        try
        {
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // A fixed receive buffer (inherited by accepted sockets) bounds what the kernel holds per
            // connection, so back-pressure reaches the sender instead of piling up in autotuned buffers.
            listener.Server.ReceiveBufferSize = ReceiveBufferBytes;
            listener.Start(backlog: 512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new IOException($"cannot listen on {_settings.Target}: {ex.Message}", ex);
        }

        _run.Log.Information("source {Key}: listening on {Target}", Counters.Key, _settings.Target);
        var watch = NetWatch.RunAsync(Counters.Key, _run, _activity, _settings.IdleExitSec, end, null);
        var connections = new List<Task>();
        try
        {
            while (!end.IsCancellationRequested)
            {
                var client = await listener.AcceptSocketAsync(end.Token);
                Counters.AddConnection();
                _activity.Touch();
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(Task.Run(() => ReadConnectionAsync(client, output, end), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            await end.CancelAsync();
            await Task.WhenAll(connections);
            await watch;
        }
    }

    private async Task ReadConnectionAsync(Socket socket, ChannelWriter<LineBatch> output, CancellationTokenSource end)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        _run.Log.Debug("source {Key}: connection from {Peer}", Counters.Key, peer);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        var batcher = new MessageBatcher(Counters, _run, _settings.HeaderMode, output, _activity);
        using var frames = new FrameReader(_settings.MaxLineBytes, _settings.Framing);
        var messages = new List<string>();
        void Collect(ReadOnlySpan<byte> m) => messages.Add(batcher.Decode(m));
        var stop = end.Token;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(0, ReadSize), SocketFlags.None, stop);
                if (read == 0)
                {
                    frames.Finish(Collect);
                }
                else
                {
                    Counters.AddBytes(read);
                    _activity.Touch();
                    var cutBefore = frames.Cut;
                    frames.Push(buffer.AsSpan(0, read), Collect);
                    ReportCuts(frames, cutBefore, peer);
                }

                foreach (var message in messages)
                {
                    if (!await batcher.AddAsync(message, stop))
                    {
                        await end.CancelAsync(); // --max-line reached
                        return;
                    }
                }

                messages.Clear();
                if (read == 0)
                {
                    return;
                }

                if (socket.Available == 0)
                {
                    await batcher.FlushAsync(); // nothing more queued: do not hold lines back
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (SocketException ex)
        {
            _run.Log.Warning("source {Key}: connection from {Peer} ended: {Error}", Counters.Key, peer, ex.Message);
        }
        finally
        {
            await batcher.FlushAsync();
            if (frames.FellBackToNewline)
            {
                _run.Log.Warning("source {Key}: {Peer} sent a frame without a valid octet count; read the rest as newline-delimited", Counters.Key, peer);
            }

            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
            _run.Log.Debug("source {Key}: connection from {Peer} closed", Counters.Key, peer);
        }
    }

    private void ReportCuts(FrameReader frames, long before, string peer)
    {
        for (var i = before; i < frames.Cut; i++)
        {
            Counters.AddCut();
            _run.Log.Warning("source {Key}: a frame from {Peer} was longer than max_line_bytes ({Max}) and was cut", Counters.Key, peer, _settings.MaxLineBytes);
        }
    }
}
