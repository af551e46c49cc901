namespace Wp.Core.Sources.Acks;

/// <summary>
/// The sink worker's side of the acknowledgement path: which input units the records of its
/// current batch came from. A worker calls <see cref="Touch"/> for each record it adds to the
/// batch and <see cref="Finish"/> when it has added the last record of a chunk (releasing the hold
/// the chunk's post took); after the batch is written and the sink flushed — or the batch went to
/// a rescue file or the error group — <see cref="ReleaseFinished"/> lets those units go.
/// </summary>
/// <remarks>One per sink worker; not thread-safe (the worker is single-threaded).</remarks>
internal sealed class SinkAcks
{
    private readonly List<AckTicket> _touched = [];
    private readonly List<AckTicket> _finished = [];

    /// <summary>Distinct tickets with records in the current batch (for <see cref="AckTicket.Relay"/>).</summary>
    public IReadOnlyList<AckTicket> Touched => _touched;

    /// <summary>True when a flush would let some unit go.</summary>
    public bool HasFinished => _finished.Count > 0;

    /// <summary>A record of <paramref name="ticket"/>'s unit is in the current batch. Chunks arrive whole, so checking the last entry dedupes.</summary>
    public void Touch(AckTicket? ticket)
    {
        if (ticket is not null && (_touched.Count == 0 || !ReferenceEquals(_touched[^1], ticket)))
        {
            _touched.Add(ticket);
        }
    }

    /// <summary>The last record of a chunk of <paramref name="ticket"/>'s unit is in the current batch (or the chunk was empty).</summary>
    public void Finish(AckTicket? ticket)
    {
        if (ticket is not null)
        {
            _finished.Add(ticket);
        }
    }

    /// <summary>The current batch is stored: releases the finished chunks' holds and starts a new batch.</summary>
    public void ReleaseFinished()
    {
        foreach (var ticket in _finished)
        {
            ticket.Release();
        }

        _finished.Clear();
        _touched.Clear();
    }

    /// <summary>Starts a new batch keeping finished chunks for a later flush (the batch was written but not yet flushed).</summary>
    public void NextBatch() => _touched.Clear();
}
