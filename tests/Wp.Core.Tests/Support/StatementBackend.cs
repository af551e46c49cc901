using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Support;

/// <summary>
/// A backend that streams batches the way a database statement does (<see cref="ISinkBackend.StreamsBatches"/>):
/// writes add to an open statement, a flush commits it, and a failure aborts it — what it held is
/// not stored. The test switches <see cref="Up"/> and chooses which records the flush refuses.
/// </summary>
internal sealed class StatementBackend : ISinkBackend
{
    private readonly List<Record> _open = [];
    private readonly List<List<Record>> _committed = [];
    private readonly List<int> _writes = [];

    public bool StreamsBatches => true;

    /// <summary>While false, writes and flushes fail (and abort the open statement); probes fail.</summary>
    public bool Up { get; set; } = true;

    /// <summary>The number (from 1) of the write that fails; the backend stays down from then on.</summary>
    public int? FailingWrite { get; set; }

    /// <summary>Records the flush refuses for their data (the rest of the statement is committed).</summary>
    public Func<Record, bool> RefusedAtFlush { get; set; } = _ => false;

    /// <summary>The size of every write, in order.</summary>
    public IReadOnlyList<int> Writes => _writes;

    /// <summary>The records of each committed statement.</summary>
    public IReadOnlyList<IReadOnlyList<Record>> Statements => _committed;

    public IEnumerable<Record> Stored => _committed.SelectMany(s => s);

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        _writes.Add(batch.Count);
        if (_writes.Count == FailingWrite)
        {
            Up = false;
        }

        if (!Up)
        {
            _open.Clear();
            throw new SinkUnavailableException("statement: connection lost");
        }

        _open.AddRange(batch);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!Up)
        {
            _open.Clear();
            throw new SinkUnavailableException("statement: connection lost at commit");
        }

        if (_open.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var refused = _open.Where(RefusedAtFlush).Select(r => new RejectedRecord(r, "value too long")).ToList();
        _committed.Add(_open.Where(r => !RefusedAtFlush(r)).ToList());
        _open.Clear();
        return refused.Count > 0 ? ValueTask.FromException(new SinkRecordsRejectedException(refused)) : ValueTask.CompletedTask;
    }

    public ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        Up ? ValueTask.CompletedTask : ValueTask.FromException(new SinkUnavailableException("statement: still down"));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
