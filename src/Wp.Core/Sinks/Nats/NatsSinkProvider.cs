using Wp.Core.Config;
using Wp.Core.Records.Formatting;

namespace Wp.Core.Sinks.Nats;

/// <summary>
/// Connector type <c>nats</c> (docs/nats-sink.md), connector <c>nats_sink</c>: each record is published as one
/// JetStream message on <c>subject</c>; a batch counts as written only when the server acknowledged
/// every publish. Params: <c>url</c> (default nats://127.0.0.1:4222), <c>subject</c> (required),
/// <c>stream</c> (default LOGS_OUT; created with subjects = subject when missing), <c>fmt</c> (json
/// default, kv, raw, proto-text), <c>timeout_ms</c> (5000: when no publish ack arrives for that long
/// the sink is down), <c>dedupe</c> (false: when true each message carries a Nats-Msg-Id made from its
/// content, so a batch replayed from a rescue file after a partial publish is not stored twice —
/// at the price that identical records within the stream's duplicate window are stored once).
/// </summary>
internal sealed class NatsSinkProvider : ISinkProvider
{
    public const string TypeName = "nats";

    public static NatsSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } =
    [
        new()
        {
            Id = "nats_sink",
            Type = TypeName,
            AllowOverride = ["url", "subject", "stream", "fmt", "timeout_ms", "dedupe"],
            Params = new Dictionary<string, object>
            {
                ["url"] = "nats://127.0.0.1:4222",
                ["stream"] = "LOGS_OUT",
                ["fmt"] = RecordFormatters.Json,
                ["timeout_ms"] = 5000L,
                ["dedupe"] = false,
            },
        },
    ];

    public ISinkSettings? Read(SinkParams p)
    {
        p.OnlyKnown("url", "subject", "stream", "fmt", "timeout_ms", "dedupe");
        var url = p.String("url", "nats://127.0.0.1:4222", required: true);
        var subject = p.String("subject", required: true);
        var stream = p.String("stream", "LOGS_OUT", required: true);
        var fmt = p.String("fmt", RecordFormatters.Json, required: true);
        var timeout = p.Integer("timeout_ms", 5000, 100, 600_000);
        var dedupe = p.Bool("dedupe", false);
        if (url is not null && !(url.StartsWith("nats://", StringComparison.Ordinal) || url.StartsWith("tls://", StringComparison.Ordinal)))
        {
            p.Problem("url", $"param 'url' of {p.OwnerName} must start with nats:// or tls://");
        }

        if (fmt is not null && !RecordFormatters.TryForName(fmt, out _))
        {
            p.Problem("fmt", $"param 'fmt' of {p.OwnerName} must be one of {string.Join(" | ", RecordFormatters.Names)}");
        }

        if (subject is not null && (subject.Contains(' ', StringComparison.Ordinal) || subject.Contains('*', StringComparison.Ordinal) || subject.Contains('>', StringComparison.Ordinal)))
        {
            p.Problem("subject", $"param 'subject' of {p.OwnerName} must be a plain subject (no spaces or wildcards)");
        }

        if (p.HasProblems || url is null || subject is null || stream is null || fmt is null || timeout is null || dedupe is null)
        {
            return null;
        }

        return new NatsSinkSettings(url, subject, stream, fmt, TimeSpan.FromMilliseconds(timeout.Value), dedupe.Value);
    }
}

/// <summary>The validated params of one nats_sink.</summary>
internal sealed record NatsSinkSettings(string Url, string Subject, string Stream, string Format, TimeSpan Timeout, bool Dedupe) : ISinkSettings
{
    public string Target => $"{Url}/{Subject}";

    public bool IsRemote => true;

    public ISinkBackend Create(TimeProvider time) => new NatsSinkBackend(this, time);
}
