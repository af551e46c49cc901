using Wp.Core.Config;

namespace Wp.Core.Sources.Nats;

/// <summary>
/// The params of a <c>nats_src</c> source (docs/sources.md). Defaults: <c>url</c> nats://127.0.0.1:4222,
/// <c>stream</c> LOGS, <c>subject</c> logs.&gt;, <c>durable</c> wparse, <c>ack_wait_sec</c> 30,
/// <c>fetch</c> 1000 messages per pull, <c>max_ack_pending</c> 20000, <c>idle_exit_sec</c> 3 (batch mode).
/// </summary>
internal sealed record NatsSourceSettings(
    string Url, string Stream, string Subject, string Durable, int AckWaitSec, int Fetch, int MaxAckPending, int IdleExitSec) : SourceSettings
{
    public override string Target => $"{Url}/{Stream}/{Durable}";

    public static NatsSourceSettings? Read(TableReader? p, string key, string connector)
    {
        SourceParams.RejectUnknown(p, key, connector, "url", "stream", "subject", "durable", "ack_wait_sec", "fetch", "max_ack_pending", "idle_exit_sec");
        var url = SourceParams.Text(p, "url", "nats://127.0.0.1:4222");
        var stream = SourceParams.Text(p, "stream", "LOGS");
        var subject = SourceParams.Text(p, "subject", "logs.>");
        var durable = SourceParams.Text(p, "durable", "wparse");
        if (url is not null && p?.Table.Get("url") is { } urlEntry && !(url.StartsWith("nats://", StringComparison.Ordinal) || url.StartsWith("tls://", StringComparison.Ordinal)))
        {
            p.Problem(urlEntry, $"{p.Name("url")} must start with nats:// or tls://");
            url = null;
        }

        foreach (var (name, value) in new[] { ("stream", stream), ("durable", durable) })
        {
            if (value is not null && p?.Table.Get(name) is { } entry && value.AsSpan().IndexOfAny(" .*>") >= 0)
            {
                p.Problem(entry, $"{p.Name(name)} must not contain spaces, '.', '*' or '>' (got '{value}')");
                return null;
            }
        }

        int? Int(string name, int min, int max, int fallback) => p?.Table.Get(name) is null ? fallback : p.Int32(name, min, max);
        var ackWait = Int("ack_wait_sec", 1, 86400, 30);
        var fetch = Int("fetch", 1, 100_000, 1000);
        var maxAckPending = Int("max_ack_pending", 1, 10_000_000, 20_000);
        var idle = Int("idle_exit_sec", 1, 86400, 3);
        return url is null || stream is null || subject is null || durable is null || ackWait is null || fetch is null || maxAckPending is null || idle is null
            ? null
            : new NatsSourceSettings(url, stream, subject, durable, ackWait.Value, fetch.Value, maxAckPending.Value, idle.Value);
    }
}

/// <summary><c>nats_src</c>: a JetStream durable pull consumer; several wparse with one durable share the messages (docs/sources.md).</summary>
internal sealed class NatsSourceProvider : ISourceProvider
{
    public string Id => "nats_src";

    public SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source) =>
        NatsSourceSettings.Read(parameters, key, Id);

    public ISource Create(string key, SourceSettings settings, SourceRun run) =>
        new NatsSource(key, (NatsSourceSettings)settings, run);
}
