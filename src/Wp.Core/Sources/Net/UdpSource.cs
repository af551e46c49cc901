using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Wp.Core.Sources.Net;

/// <summary>
/// A UDP source (syslog_udp_src; docs/sources.md): one datagram is one message. UDP cannot push back, so
/// the receive loop never waits on the pipeline: what the queue to the batcher cannot take is
/// counted as dropped, and so are the datagrams the kernel dropped because the socket buffer was
/// full (read from /proc/net/udp where the system has it).
/// </summary>
internal sealed class UdpSource : ISource
{
    private const int QueueMessages = 64 * 1024;
    private const int ReceiveBufferBytes = 8 * 1024 * 1024;

    private readonly NetSourceSettings _settings;
    private readonly SourceRun _run;
    private readonly NetActivity _activity;

    public UdpSource(string key, NetSourceSettings settings, SourceRun run)
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
        using var socket = new Socket(_settings.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = ReceiveBufferBytes; // the kernel caps it at net.core.rmem_max
            socket.Bind(new IPEndPoint(_settings.Address, _settings.Port));
        }
        catch (SocketException ex)
        {
            throw new IOException($"cannot listen on {_settings.Target}: {ex.Message}", ex);
        }

        _run.Log.Information("source {Key}: listening on {Target}", Counters.Key, _settings.Target);
        var kernel = new KernelDrops(_settings.Port, _settings.Address.AddressFamily == AddressFamily.InterNetworkV6);
        var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueMessages)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: we count, never wait
            SingleReader = true,
            SingleWriter = true,
        });
        var batcherTask = Task.Run(() => BatchAsync(queue.Reader, output, end), CancellationToken.None);
        var watch = NetWatch.RunAsync(Counters.Key, _run, _activity, _settings.IdleExitSec, end, () => Counters.SetKernelDropped(kernel.Read()));
        var buffer = new byte[65536];
        var batcher = new MessageBatcher(Counters, _run, _settings.HeaderMode, output, _activity);
        EndPoint any = new IPEndPoint(_settings.Address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!end.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, end.Token);
                var length = received.ReceivedBytes;
                Counters.AddBytes(length);
                _activity.Touch();
                var message = buffer.AsSpan(0, length);
                if (message.Length > 0 && message[^1] == (byte)'\n')
                {
                    message = message[..^1];
                }

                if (message.Length > _settings.MaxLineBytes)
                {
                    message = message[.._settings.MaxLineBytes];
                    Counters.AddCut();
                }

                if (!queue.Writer.TryWrite(batcher.Decode(message)))
                {
                    Counters.AddDropped(1);
                }
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.Complete();
            await end.CancelAsync();
            await batcherTask;
            await watch;
            Counters.SetKernelDropped(kernel.Read());
            if (Counters.Dropped > 0)
            {
                _run.Log.Warning("source {Key}: {Dropped} datagrams dropped (the pipeline or the socket buffer was full)", Counters.Key, Counters.Dropped);
            }
        }
    }

    private async Task BatchAsync(ChannelReader<string> queue, ChannelWriter<LineBatch> output, CancellationTokenSource end)
    {
        var batcher = new MessageBatcher(Counters, _run, _settings.HeaderMode, output, _activity);
        try
        {
            await foreach (var message in queue.ReadAllAsync(CancellationToken.None))
            {
                if (!await batcher.AddAsync(message, end.Token))
                {
                    await end.CancelAsync(); // --max-line reached
                    return;
                }

                if (queue.Count == 0)
                {
                    await batcher.FlushAsync();
                }
            }
        }
        finally
        {
            await batcher.FlushAsync();
        }
    }

    /// <summary>The kernel's drop counter of our socket (Linux /proc/net/udp, last column); 0 where unavailable.</summary>
    private sealed class KernelDrops(int port, bool v6)
    {
        private readonly string _file = v6 ? "/proc/net/udp6" : "/proc/net/udp";
        private readonly string _portHex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        private long _last;

        public long Read()
        {
            try
            {
                if (!File.Exists(_file))
                {
                    return _last;
                }

                long drops = 0;
                foreach (var line in File.ReadLines(_file).Skip(1))
                {
                    var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (cols.Length > 12 && cols[1].EndsWith(_portHex, StringComparison.Ordinal)
                        && long.TryParse(cols[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                    {
                        drops += d;
                    }
                }

                return _last = drops;
            }
            catch (IOException)
            {
                return _last;
            }
        }
    }
}
