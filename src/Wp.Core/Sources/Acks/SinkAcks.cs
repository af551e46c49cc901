using Wp.Core.Records;

namespace Wp.Core.Sources.Acks;

/// <summary>
/// The sink worker's side of the acknowledgement path: which input units the records of its
/// current batch came from. A worker calls <see cref="Touch"/> for each record it adds to the
/// batch and <see cref="Finish"/> when it has added the last record of a chunk (releasing the holds
/// the chunk's post took: on its input unit and on its records' lease); after the batch is written
/// and the sink flushed — or the batch went to a rescue file or the error group —
/// <see cref="ReleaseFinished"/> lets those units, and those records, go.
/// </summary>
/// <remarks>One per sink worker; not thread-safe (the worker is single-threaded).</remarks>
internal sealed class SinkAcks
{
    private readonly List<AckTicket> _touched = [];
    private readonly List<AckTicket> _finished = [];
    private readonly List<RecordLease> _finishedLeases = [];

    /// <summary>Distinct tickets with records in the current batch (for <see cref="AckTicket.Relay"/>).</summary>
    public IReadOnlyList<AckTicket> Touched => _touched;

    /// <summary>True when a flush would let some unit or lease go.</summary>
    public bool HasFinished => _finished.Count > 0 || _finishedLeases.Count > 0;

    /// <summary>A record of <paramref name="ticket"/>'s unit is in the current batch. Chunks arrive whole, so checking the last entry dedupes.</summary>
    public void Touch(AckTicket? ticket)
    {
        if (ticket is not null && (_touched.Count == 0 || !ReferenceEquals(_touched[^1], ticket)))
        {
            _touched.Add(ticket);
        }
    }

    /// <summary>The last record of a chunk of <paramref name="ticket"/>'s unit, its records from <paramref name="lease"/>, is in the current batch (or the chunk was empty).</summary>
    public void Finish(AckTicket? ticket, RecordLease? lease = null)
    {
        if (ticket is not null)
        {
            _finished.Add(ticket);
        }

        if (lease is not null)
        {
            _finishedLeases.Add(lease);
        }
    }

    /// <summary>
    /// The current batch is stored: releases the finished chunks' holds and starts a new batch.
    /// <paramref name="keepLeases"/>: something may still read the records (a backend call given up
    /// after its timeout), so their leases are never released and are left to the GC.
    /// </summary>
    public void ReleaseFinished(bool keepLeases = false)
    {
        foreach (var ticket in _finished)
        {
            ticket.Release();
        }

        if (!keepLeases)
        {
            foreach (var lease in _finishedLeases)
            {
                lease.Release();
            }
        }

        _finished.Clear();
        _finishedLeases.Clear();
        _touched.Clear();
    }
}
