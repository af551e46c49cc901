using System.Diagnostics;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// A throwaway JetStream server (Debian's <c>nats-server -js</c>) on a free loopback port with its
/// store in a temp folder, shared by the NATS tests of one collection. Can be stopped and started
/// again on the same port and store (a server outage mid-run).
/// </summary>
public sealed class NatsServer : IAsyncLifetime
{
    private Process? _process;

    public NatsServer()
    {
        Port = NetWorkRoot.FreePort();
        StoreDir = Path.Combine(Path.GetTempPath(), "wp-e2e", $"nats-{Guid.NewGuid():N}");
        Directory.CreateDirectory(StoreDir);
    }

    public int Port { get; }

    public string StoreDir { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static string? Executable =>
        new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" }.FirstOrDefault(File.Exists);

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(StoreDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public async Task StartAsync()
    {
        var exe = Executable ?? throw new InvalidOperationException("nats-server not installed (build.sh installs it as root: apt-get install nats-server)");
        var info = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-js", "-sd", StoreDir, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the server gracefully (SIGTERM: the store is flushed) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        ToolProcess.SignalPid(_process.Id, ToolProcess.SigTerm);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Publishes <paramref name="count"/> messages <c>"{seq} hello"</c> with JetStream acks, creating the stream.</summary>
    public async Task PublishAsync(string stream, string subject, int count, int first = 0)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = Url });
        var js = new NatsJSContext(connection);
        try
        {
            await js.GetStreamAsync(stream);
        }
        catch (NatsJSApiException)
        {
            await js.CreateStreamAsync(new StreamConfig(stream, [subject.Replace(">", "*", StringComparison.Ordinal)]));
        }

        const int Window = 2000;
        var concrete = subject.Replace(">", "in", StringComparison.Ordinal);
        for (var start = first; start < first + count; start += Window)
        {
            var tasks = Enumerable.Range(start, Math.Min(Window, first + count - start))
                .Select(i => js.PublishAsync(concrete, System.Text.Encoding.UTF8.GetBytes($"{i} hello")).AsTask())
                .ToList();
            foreach (var ack in await Task.WhenAll(tasks))
            {
                ack.EnsureSuccess();
            }
        }
    }

    /// <summary>Messages in <paramref name="stream"/> now; 0 while it does not exist or the server does not answer.</summary>
    public async Task<long> CountAsync(string stream)
    {
        try
        {
            await using var connection = new NatsConnection(new NatsOpts { Url = Url });
            var js = new NatsJSContext(connection);
            return (long)(await js.GetStreamAsync(stream)).Info.State.Messages;
        }
        catch (Exception ex) when (ex is NatsException or NatsJSApiException or OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Every message's payload still in the stream (for the sink tests), read with an ordered consumer.</summary>
    public async Task<List<string>> ReadAllAsync(string stream)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = Url });
        var js = new NatsJSContext(connection);
        var info = await js.GetStreamAsync(stream);
        var total = (long)info.Info.State.Messages;
        var result = new List<string>();
        if (total == 0)
        {
            return result;
        }

        var consumer = await js.CreateOrderedConsumerAsync(stream);
        await foreach (var msg in consumer.ConsumeAsync<byte[]>())
        {
            result.Add(System.Text.Encoding.UTF8.GetString(msg.Data ?? []));
            if (result.Count == total)
            {
                break;
            }
        }

        return result;
    }
}

/// <summary>The NATS tests: one server for the collection; like the other e2e tests they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NatsCollection : ICollectionFixture<NatsServer>
{
    public const string Name = "nats";
}
