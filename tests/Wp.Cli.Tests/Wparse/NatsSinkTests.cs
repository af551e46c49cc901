using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

/// <summary>nats_sink (docs/nats-sink.md): a server outage sends batches to rescue files, and wprescue replays them into the stream.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsSinkTests(NatsServer server)
{
    private const int Lines = 20_000;

    [Fact]
    public async Task A_server_outage_diverts_to_rescue_and_wprescue_completes_the_stream_with_every_record_once()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var stream = $"OUT_{id}";
        using var root = new NetWorkRoot(
            """
            [[sources]]
            key = "file_1"
            connect = "file_src"
            """,
            engineExtra: "speed_limit = 2000\nrescue_root = \"./data/rescue\"");
        root.Write("sink/business.d/net.toml", $$"""
            version = "2.0"
            [sink_group]
            name = "net"
            rule = ["/net/*"]
            [[sink_group.sinks]]
            name = "bus_sink"
            connect = "nats_sink"
            params = { url = "{{server.Url}}", subject = "out_{{id}}.records", stream = "{{stream}}", timeout_ms = 2000, dedupe = true }
            """);
        root.Write("data/in_dat/gen.dat", string.Concat(Enumerable.Range(0, Lines).Select(i => $"{i} hello\n")));

        using var wparse = ToolProcess.Start("wparse", root.Root, ["batch"]);
        // The outage starts once records reached the stream (not after a fixed sleep): mid-run whatever the
        // machine's speed, since 20,000 lines at 2,000 lines/s take 10 s.
        await Eventually.Async(async () => await server.CountAsync(stream) >= 2000, wparse);

        await server.StopAsync();
        await Eventually.Async(() => Directory.Exists(root.PathOf("data/rescue")) && Directory.GetFiles(root.PathOf("data/rescue"), "bus_sink-*").Length > 0, wparse);
        await server.StartAsync();
        var code = await wparse.WaitAsync(TimeSpan.FromSeconds(90));

        code.Should().Be(0, wparse.StdErr);
        Directory.GetFiles(root.PathOf("data/rescue"), "bus_sink-*.dat").Should().NotBeEmpty("the outage went to rescue files");
        var replay = await ToolProcess.RunAsync("wprescue", root.Root, ["batch"], TimeSpan.FromSeconds(90));
        replay.ExitCode.Should().Be(0, replay + "\nlog:\n" + string.Join("\n", root.Lines("logs/wprescue.log").TakeLast(40)));

        var seqs = NetWorkRoot.Seqs(await server.ReadAllAsync(stream));
        seqs.Order().Should().Equal(Enumerable.Range(0, Lines).Select(i => (long)i), "the stream holds every record once");
    }
}
