using Wp.Core.Records;
using Wp.Core.Stats;
using Wp.Core.Sources.Acks;

namespace Wp.Core.Pipeline;

/// <summary>
/// Where records for one group go: every sink of the group receives each chunk. A group without
/// sinks — or an infra group with no file — counts what it receives and drops it (docs/configuration.md,
/// sink groups).
/// </summary>
internal sealed class GroupOutlet : IStatSource
{
    private long _dropped;

    public GroupOutlet(string name, IReadOnlyList<SinkWorker> sinks)
    {
        Name = name;
        Sinks = sinks;
    }

    public string Name { get; }

    public IReadOnlyList<SinkWorker> Sinks { get; }

    /// <summary>Records that reached a group with no sinks.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>A group without sinks shows what it dropped (a <c>sink</c> row with no success); others show nothing.</summary>
    public IEnumerable<StatRow> Snapshot()
    {
        if (Sinks.Count == 0)
        {
            yield return new StatRow("sink", Name, "dropped: no group file", Dropped, 0);
        }
    }

    /// <summary>Posts to every sink of the group; each takes a hold on <paramref name="ack"/> until it has stored the chunk.</summary>
    public ValueTask PostAsync(IReadOnlyList<Record> chunk, AckTicket? ack, CancellationToken cancellationToken) =>
        PostAsync(chunk, ack, lease: null, cancellationToken);

    /// <summary>
    /// Posts to every sink of the group; each takes a hold on <paramref name="ack"/> and on the
    /// records' <paramref name="lease"/> until it has stored the chunk.
    /// </summary>
    public async ValueTask PostAsync(IReadOnlyList<Record> chunk, AckTicket? ack, RecordLease? lease, CancellationToken cancellationToken)
    {
        if (Sinks.Count == 0)
        {
            Interlocked.Add(ref _dropped, chunk.Count);
            return;
        }

        foreach (var sink in Sinks)
        {
            await sink.PostAsync(chunk, ack, lease, cancellationToken);
        }
    }
}
