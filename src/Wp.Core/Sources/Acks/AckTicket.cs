namespace Wp.Core.Sources.Acks;

/// <summary>
/// One unit of input on its way to the sinks — a batch of lines from a file, a message from a
/// stream — and the count of stages still responsible for records made from it (SPEC §4.1
/// "end-to-end acknowledgement"). The issuing source holds it first; every stage that takes
/// records of the unit takes a hold (<see cref="Hold"/>) before the previous holder lets go
/// (<see cref="Release"/>). When the last hold is released, every record made from the unit is
/// stored — written and flushed by its sink, or in a rescue file — and the owner is told once.
/// </summary>
/// <remarks>
/// Thread-safe: holds are counted with <see cref="Interlocked"/>, so sink workers release from
/// their own threads. A hold that is never released (a sink that failed fatally and abandoned its
/// records) keeps the unit unacknowledged forever, which is the point: unstored input is re-read.
/// </remarks>
internal sealed class AckTicket
{
    private readonly IAckOwner _owner;
    private int _holds = 1;

    /// <summary>Creates a ticket held once, by its issuer; <paramref name="owner"/> hears of its completion.</summary>
    public AckTicket(IAckOwner owner, long sequence)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
        Sequence = sequence;
    }

    /// <summary>The issuer's number for the unit (in issue order for ordered sources).</summary>
    public long Sequence { get; }

    /// <summary>True once every hold is released.</summary>
    public bool IsComplete => Volatile.Read(ref _holds) == 0;

    /// <summary>
    /// A ticket whose completion calls <paramref name="onComplete"/> once — for sources that
    /// acknowledge each unit on its own (e.g. a message broker's per-message ack).
    /// </summary>
    public static AckTicket WhenComplete(Action onComplete, long sequence = 0) =>
        new(new CallbackOwner(onComplete), sequence);

    /// <summary>
    /// A ticket that holds each of <paramref name="upstream"/> until it completes itself: records
    /// passed on to another stage (e.g. a failed batch forwarded to the error group) keep the units
    /// they came from unacknowledged until that stage has stored them. Returns null for no tickets.
    /// </summary>
    public static AckTicket? Relay(IReadOnlyList<AckTicket> upstream)
    {
        if (upstream.Count == 0)
        {
            return null;
        }

        var held = upstream.ToArray();
        foreach (var ticket in held)
        {
            ticket.Hold();
        }

        return new AckTicket(new RelayOwner(held), 0);
    }

    /// <summary>Another stage takes responsibility for records of this unit. Throws when the ticket is already complete (a bug).</summary>
    public void Hold()
    {
        if (Interlocked.Increment(ref _holds) <= 1)
        {
            Interlocked.Decrement(ref _holds);
            throw new InvalidOperationException($"ack ticket {Sequence}: hold taken after completion");
        }
    }

    /// <summary>A holder's records of this unit are stored. The last release completes the ticket. Throws on more releases than holds (a bug).</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holds);
        if (left == 0)
        {
            _owner.Completed(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"ack ticket {Sequence}: released more often than held");
        }
    }

    private sealed class CallbackOwner(Action onComplete) : IAckOwner
    {
        public void Completed(AckTicket ticket) => onComplete();
    }

    private sealed class RelayOwner(AckTicket[] upstream) : IAckOwner
    {
        public void Completed(AckTicket ticket)
        {
            foreach (var held in upstream)
            {
                held.Release();
            }
        }
    }
}

/// <summary>Hears that a ticket completed. Called once per ticket, on the thread of the last release; must be quick and must not throw.</summary>
internal interface IAckOwner
{
    void Completed(AckTicket ticket);
}
