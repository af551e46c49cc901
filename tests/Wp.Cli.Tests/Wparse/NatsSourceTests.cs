using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Wparse;

/// <summary>
/// nats_src with real wparse processes sharing one JetStream durable consumer (docs/sources.md):
/// every message is stored exactly once across graceful stops, none is lost after kill -9 or a
/// server outage, and redeliveries are counted.
/// </summary>
[Collection(NatsCollection.Name)]
public sealed class NatsSourceTests(NatsServer server)
{
    private const int Messages = 100_000;

    [Fact]
    public async Task Three_instances_with_graceful_restarts_store_every_message_exactly_once()
    {
        var (stream, subject) = Names();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await server.PublishAsync(stream, subject, Messages);
        Console.WriteLine($"published {Messages} in {watch.Elapsed.TotalSeconds:0.0} s");
        var instances = Enumerable.Range(0, 3).Select(_ => Instance(stream, subject)).ToList();
        try
        {
            var running = instances.Select(StartDaemon).ToList();
            await WaitForAsync(() => Stored(instances) >= 25_000, running);
            await StopAsync(running[0]);
            running[0] = StartDaemon(instances[0]);
            await WaitForAsync(() => Stored(instances) >= 60_000, running);
            await StopAsync(running[1]);
            running[1] = StartDaemon(instances[1]);
            await WaitForAsync(() => Stored(instances) >= Messages, running);
            Console.WriteLine($"all stored after {watch.Elapsed.TotalSeconds:0.0} s");
            foreach (var p in running)
            {
                await StopAsync(p);
            }

            var seqs = instances.SelectMany(r => NetWorkRoot.Seqs(r.Output)).ToList();
            seqs.Should().HaveCount(Messages, "graceful stops acknowledge exactly what was stored");
            seqs.Order().Should().Equal(Enumerable.Range(0, Messages).Select(i => (long)i));
            // Shared, not copied: exactly once above with several instances storing. Not all three: under
            // load the consumer may hand one instance nothing before the others drain it (seen: a flaky test).
            instances.Count(r => r.Output.Length > 0).Should().BeGreaterThanOrEqualTo(2, "the durable shares the messages");
        }
        finally
        {
            instances.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Kill_9_loses_nothing_and_redeliveries_are_counted_and_bounded_by_what_was_in_flight()
    {
        var (stream, subject) = Names();
        const int MaxAckPending = 5000;
        await server.PublishAsync(stream, subject, Messages);
        var instances = Enumerable.Range(0, 3).Select(_ => Instance(stream, subject, $"ack_wait_sec = 2, max_ack_pending = {MaxAckPending}")).ToList();
        try
        {
            var running = instances.Select(StartDaemon).ToList();
            await WaitForAsync(() => Stored(instances) >= 30_000, running);
            // The instance storing the most is being handed messages, so it holds unacknowledged ones to be
            // redelivered; the consumer may give one instance nothing under load, and killing that one
            // would prove nothing.
            var victim = Enumerable.Range(0, instances.Count).MaxBy(i => instances[i].Output.Length);
            running[victim].Signal(ToolProcess.SigKill);
            await running[victim].WaitAsync(TimeSpan.FromSeconds(10));
            running[victim].Dispose();
            running[victim] = StartDaemon(instances[victim]);
            await WaitForAsync(() => Distinct(instances) >= Messages, running, TimeSpan.FromSeconds(90));
            var redelivered = 0L;
            foreach (var p in running)
            {
                await StopAsync(p);
                var net = NetWorkRoot.Row(p.StdOut, "net", "bus")!;
                redelivered += long.Parse(net[Array.IndexOf(net, "redeliv") + 1], System.Globalization.CultureInfo.InvariantCulture);
            }

            var seqs = instances.SelectMany(r => NetWorkRoot.Seqs(r.Output)).ToList();
            seqs.Distinct().Order().Should().Equal(Enumerable.Range(0, Messages).Select(i => (long)i), "kill -9 loses nothing");
            var duplicates = seqs.Count - Messages;
            duplicates.Should().BeLessThanOrEqualTo(MaxAckPending, "only what was in flight (unacknowledged) can be stored twice");
            redelivered.Should().BeGreaterThan(0).And.BeGreaterThanOrEqualTo(duplicates);
            Console.WriteLine($"kill -9: {duplicates} stored twice, {redelivered} redelivered");
        }
        finally
        {
            instances.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task A_server_outage_mid_run_loses_nothing()
    {
        var (stream, subject) = Names();
        await server.PublishAsync(stream, subject, Messages);
        var instances = Enumerable.Range(0, 2).Select(_ => Instance(stream, subject, "ack_wait_sec = 5")).ToList();
        try
        {
            var running = instances.Select(StartDaemon).ToList();
            await WaitForAsync(() => Stored(instances) >= 20_000, running);
            await server.StopAsync();
            await Task.Delay(1500);
            await server.StartAsync();
            await WaitForAsync(() => Distinct(instances) >= Messages, running, TimeSpan.FromSeconds(90));
            foreach (var p in running)
            {
                await StopAsync(p);
            }

            var seqs = instances.SelectMany(r => NetWorkRoot.Seqs(r.Output)).Distinct().Order();
            seqs.Should().Equal(Enumerable.Range(0, Messages).Select(i => (long)i), "a server outage loses nothing");
            running.Should().Contain(p => p.StdErr.Contains("disconnected from NATS", StringComparison.Ordinal), "the outage is logged");
        }
        finally
        {
            instances.ForEach(r => r.Dispose());
        }
    }

    private static (string Stream, string Subject) Names()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return ($"LOGS_{id}", $"logs_{id}.>");
    }

    private NetWorkRoot Instance(string stream, string subject, string extra = "") =>
        new($$"""
            [[sources]]
            key = "bus"
            connect = "nats_src"
            params = { url = "{{server.Url}}", stream = "{{stream}}", subject = "{{subject}}", durable = "wparse"{{(extra.Length > 0 ? ", " + extra : string.Empty)}} }
            """);

    private static ToolProcess StartDaemon(NetWorkRoot root) => ToolProcess.Start("wparse", root.Root, ["daemon"]);

    private static async Task StopAsync(ToolProcess process)
    {
        process.Signal(ToolProcess.SigTerm);
        var code = await process.WaitAsync(TimeSpan.FromSeconds(60));
        code.Should().Be(0, process.StdErr);
    }

    private static long Stored(IEnumerable<NetWorkRoot> roots) => roots.Sum(r => (long)r.Output.Length);

    private static long Distinct(IEnumerable<NetWorkRoot> roots) => roots.SelectMany(r => NetWorkRoot.Seqs(r.Output)).Distinct().LongCount();

    private static async Task WaitForAsync(Func<bool> condition, IReadOnlyList<ToolProcess> processes, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time\n" + string.Join("\n---\n", processes.Select(p => p.StdOut + "\n" + p.StdErr)));
            }

            await Task.Delay(100);
        }
    }
}
