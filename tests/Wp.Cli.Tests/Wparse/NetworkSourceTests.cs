using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

/// <summary>wparse batch with syslog_tcp_src, syslog_udp_src and tcp_src as real processes (docs/sources.md).</summary>
[Collection(E2eCollection.Name)]
public sealed class NetworkSourceTests
{
    private const int TwoMiB = 2 * 1024 * 1024;

    [Fact]
    public async Task Syslog_tcp_takes_every_message_of_three_connections_once_with_typed_header_fields()
    {
        var port = NetWorkRoot.FreePort();
        using var root = new NetWorkRoot($$"""
            [[sources]]
            key = "syslog_in"
            connect = "syslog_tcp_src"
            params = { addr = "127.0.0.1", port = {{port}}, idle_exit_sec = 2 }
            """);
        using var wparse = ToolProcess.Start("wparse", root.Root, ["batch"]);
        await Eventually.Async(() => wparse.StdErr.Contains("listening on", StringComparison.Ordinal), wparse);

        // 20,000 messages: two octet-counted RFC 5424 connections and one newline-framed RFC 3164
        // connection, each also sending one 2 MiB frame that must be cut and counted.
        const int PerConnection = 6667;
        var sends = new[]
        {
            SendAsync(port, Enumerable.Range(0, PerConnection).Select(Rfc5424), octet: true, big: 900_000),
            SendAsync(port, Enumerable.Range(PerConnection, PerConnection).Select(Rfc5424), octet: true, big: 900_001),
            SendAsync(port, Enumerable.Range(2 * PerConnection, 20_000 - (2 * PerConnection)).Select(Rfc3164), octet: false, big: 900_002),
        };
        await Task.WhenAll(sends);
        var code = await wparse.WaitAsync(TimeSpan.FromSeconds(120));

        code.Should().Be(0, wparse.StdErr);
        var output = root.Output;
        var seqs = NetWorkRoot.Seqs(output);
        seqs.Where(s => s < 900_000).Order().Should().Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), "every message arrives once");
        seqs.Where(s => s >= 900_000).Order().Should().Equal(900_000, 900_001, 900_002);
        output.Where(l => l.Contains("\"seq\":90000", StringComparison.Ordinal)).Should().AllSatisfy(l => l.Length.Should().BeLessThan(1024 * 1024 + 1024));
        var first = output.First(l => l.Contains("\"seq\":5,", StringComparison.Ordinal));
        first.Should().Contain("\"syslog_pri\":165").And.Contain("\"syslog_facility\":20").And.Contain("\"syslog_severity\":5")
            .And.Contain("\"syslog_time\":\"2026-11-30 21:14:15").And.Contain("\"syslog_host\":\"web01\"").And.Contain("\"syslog_app\":\"nginx\"")
            .And.Contain("\"syslog_procid\":\"4242\"").And.Contain("\"syslog_msgid\":\"ID47\"").And.Contain("\"text\":\"hello\"");
        var old = output.First(l => l.Contains("\"seq\":19999,", StringComparison.Ordinal));
        old.Should().Contain("\"syslog_pri\":34").And.Contain("\"syslog_severity\":2").And.Contain("\"syslog_host\":\"oldbox\"")
            .And.Contain("\"syslog_app\":\"su\"").And.Contain("\"syslog_procid\":\"123\"").And.Contain("-10-05 22:14:15");
        root.Lines("data/out_dat/miss.dat").Should().BeEmpty();
        var pick = NetWorkRoot.Row(wparse.StdOut, "pick", "syslog_in")!;
        NetWorkRoot.Number(pick[3]).Should().Be(20_003);
        NetWorkRoot.Row(wparse.StdOut, "net", "syslog_in")!.Should().ContainInOrder("conn", "3", "drop", "0", "cut", "3");
    }

    [Fact]
    public async Task Syslog_udp_received_plus_counted_dropped_equals_sent()
    {
        var port = NetWorkRoot.FreePort(udp: true);
        using var root = new NetWorkRoot($$"""
            [[sources]]
            key = "udp_in"
            connect = "syslog_udp_src"
            params = { addr = "127.0.0.1", port = {{port}}, idle_exit_sec = 2 }
            """);
        using var wparse = ToolProcess.Start("wparse", root.Root, ["batch"]);
        await Eventually.Async(() => wparse.StdErr.Contains("listening on", StringComparison.Ordinal), wparse);

        using (var udp = new UdpClient())
        {
            udp.Connect(IPAddress.Loopback, port);
            for (var i = 0; i < 10_000; i++)
            {
                var bytes = Encoding.UTF8.GetBytes(Rfc5424(i));
                await udp.SendAsync(bytes);
                if (i % 200 == 199)
                {
                    await Task.Delay(5); // a modest rate
                }
            }
        }

        var code = await wparse.WaitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(0, wparse.StdErr);
        var received = NetWorkRoot.Seqs(root.Output);
        received.Should().OnlyHaveUniqueItems();
        var net = NetWorkRoot.Row(wparse.StdOut, "net", "udp_in")!;
        var dropped = long.Parse(net[Array.IndexOf(net, "drop") + 1], CultureInfo.InvariantCulture);
        (received.Length + dropped).Should().Be(10_000, wparse.StdOut);
        NetWorkRoot.Number(NetWorkRoot.Row(wparse.StdOut, "pick", "udp_in")![3]).Should().Be(10_000);
    }

    [Fact]
    public async Task A_full_pipeline_holds_the_tcp_sender_back_without_losing_a_message()
    {
        var port = NetWorkRoot.FreePort();
        using var root = new NetWorkRoot(
            $$"""
            [[sources]]
            key = "tcp_in"
            connect = "tcp_src"
            params = { addr = "127.0.0.1", port = {{port}}, idle_exit_sec = 2 }
            """,
            engineExtra: "speed_limit = 1000");
        using var wparse = ToolProcess.Start("wparse", root.Root, ["batch"]);
        await Eventually.Async(() => wparse.StdErr.Contains("listening on", StringComparison.Ordinal), wparse);
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, PeakRssKiB(wparse.Id));
                await Task.Delay(200);
            }
        });

        // 20,000 lines of ~500 bytes (10 MB) as fast as the socket takes them, with a small send buffer
        // so that what is held back is held by TCP, not by the sender's kernel buffer.
        var padding = new string('p', 480);
        var watch = Stopwatch.StartNew();
        await SendAsync(port, Enumerable.Range(0, 20_000).Select(i => $"{i} {padding}"), octet: false, big: null, sendBuffer: 16 * 1024);
        var sendSeconds = watch.Elapsed.TotalSeconds;
        var code = await wparse.WaitAsync(TimeSpan.FromSeconds(120));
        await sampling.CancelAsync();
        await sampler;

        code.Should().Be(0, wparse.StdErr);
        NetWorkRoot.Seqs(root.Output).Order().Should().Equal(Enumerable.Range(0, 20_000).Select(i => (long)i));
        // At 1,000 lines/s the sends of 20,000 lines take about 20 s; the kernel buffers hold a few MB at most.
        sendSeconds.Should().BeGreaterThan(10, "TCP must hold the sender back");
        if (peak > 0)
        {
            peak.Should().BeLessThan(300 * 1024, "memory stays bounded while the sender is held back (peak RSS in KiB)");
        }

        Console.WriteLine($"back-pressure: sends took {sendSeconds:0.0} s, wparse peak RSS {peak / 1024} MiB");
    }

    [Fact]
    public async Task Batch_with_a_network_source_ends_at_max_line()
    {
        var port = NetWorkRoot.FreePort();
        using var root = new NetWorkRoot($$"""
            [[sources]]
            key = "tcp_in"
            connect = "tcp_src"
            params = { addr = "127.0.0.1", port = {{port}}, idle_exit_sec = 600 }
            """);
        using var wparse = ToolProcess.Start("wparse", root.Root, ["batch", "-n", "1000"]);
        await Eventually.Async(() => wparse.StdErr.Contains("listening on", StringComparison.Ordinal), wparse);

        try
        {
            await SendAsync(port, Enumerable.Range(0, 5000).Select(i => $"{i} line"), octet: false, big: null);
        }
        catch (IOException)
        {
            // wparse closes the connection once its budget is spent.
        }

        var code = await wparse.WaitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(0, wparse.StdErr);
        root.Output.Should().HaveCount(1000);
    }

    private static string Rfc5424(int seq) =>
        $"<165>1 2026-11-30T22:14:15.003+01:00 web01 nginx 4242 ID47 [meta seq=\"{seq}\"] {seq} hello";

    private static string Rfc3164(int seq) => $"<34>Oct  5 22:14:15 oldbox su[123]: {seq} failed";

    /// <summary>Sends messages on one connection, octet-counted or newline-framed, with an optional 2 MiB message of seq <paramref name="big"/> in the middle.</summary>
    private static async Task SendAsync(int port, IEnumerable<string> messages, bool octet, int? big, int? sendBuffer = null)
    {
        using var client = new TcpClient();
        if (sendBuffer is { } size)
        {
            client.SendBufferSize = size;
        }

        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var pending = new MemoryStream();
        var count = 0;
        foreach (var message in messages)
        {
            Frame(pending, message, octet);
            if (++count == 1000 && big is { } bigSeq)
            {
                Frame(pending, $"<13>1 - - - - - - {bigSeq} " + new string('z', TwoMiB), octet);
            }

            if (pending.Length > 32 * 1024)
            {
                await stream.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length));
                pending.SetLength(0);
            }
        }

        await stream.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length));
        client.Client.Shutdown(SocketShutdown.Send);
    }

    private static void Frame(MemoryStream output, string message, bool octet)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        if (octet)
        {
            output.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + " "));
            output.Write(bytes);
        }
        else
        {
            output.Write(bytes);
            output.WriteByte((byte)'\n');
        }
    }

    /// <summary>VmHWM of a running process in KiB (0 when it has exited or /proc is missing).</summary>
    private static long PeakRssKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
