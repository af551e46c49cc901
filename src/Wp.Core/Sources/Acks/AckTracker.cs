namespace Wp.Core.Sources.Acks;

/// <summary>
/// The acknowledgement state of one ordered source (a file): issues a ticket per unit of input
/// with the position reached after it (<typeparamref name="TMark"/>), and keeps the
/// <b>watermark</b> — the mark of the last unit such that it and every unit before it are
/// complete. Units complete out of order (sinks run at their own pace); the watermark only moves
/// forward through a contiguous run, so saving it never skips an unstored line.
/// </summary>
/// <remarks>Thread-safe. Cost per unit: one queue entry and one short lock when it completes.</remarks>
internal sealed class AckTracker<TMark> : IAckOwner
{
    private readonly Lock _lock = new();
    private readonly Queue<(AckTicket Ticket, TMark Mark)> _open = new();
    private long _next;
    private TMark _watermark = default!;
    private bool _hasWatermark;
    private long _advances;

    /// <summary>Units issued and not yet covered by the watermark.</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>How many times the watermark moved; lets a saver skip writing an unchanged position.</summary>
    public long Advances => Interlocked.Read(ref _advances);

    /// <summary>
    /// Issues the ticket of the next unit, held once by the caller (who releases it after handing
    /// the unit's records on). <paramref name="mark"/> is the position reached once this unit and
    /// all before it are stored.
    /// </summary>
    public AckTicket Issue(TMark mark)
    {
        lock (_lock)
        {
            var ticket = new AckTicket(this, _next++);
            _open.Enqueue((ticket, mark));
            return ticket;
        }
    }

    /// <summary>The watermark, if any unit has been fully acknowledged since this tracker was made.</summary>
    public bool TryGetWatermark(out TMark mark)
    {
        lock (_lock)
        {
            mark = _watermark;
            return _hasWatermark;
        }
    }

    void IAckOwner.Completed(AckTicket ticket)
    {
        lock (_lock)
        {
            var moved = false;
            while (_open.TryPeek(out var head) && head.Ticket.IsComplete)
            {
                _open.Dequeue();
                _watermark = head.Mark;
                _hasWatermark = true;
                moved = true;
            }

            if (moved)
            {
                Interlocked.Increment(ref _advances);
            }
        }
    }
}
