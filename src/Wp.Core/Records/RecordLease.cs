using System.Collections.Concurrent;
using System.Numerics;

namespace Wp.Core.Records;

/// <summary>
/// The records one parse batch made (and, for the rescue decoder, the char arrays their text
/// slices), reused for a later batch once every holder has let go: the parse worker that filled them
/// and each sink that took a chunk of them (after that sink stored them: written and flushed, or
/// diverted to a rescue file). Parsing then allocates no record, list or field array per line, and
/// records no longer age into older GC generations while they wait in the sinks' queues.
/// </summary>
/// <remarks>
/// <para><b>Holds.</b> A lease starts with one hold (the parse worker's). <see cref="Hold"/> and
/// <see cref="Release"/> pair up; the release that drops the last hold returns the records to the
/// pool. A holder that cannot be sure nobody still reads its records — a sink whose backend call
/// was abandoned after its timeout and may still be formatting them — simply never releases: the
/// lease is then left to the garbage collector, which is always safe. Releasing early is the only
/// mistake that corrupts data; so release only where the records are certainly done with.</para>
/// <para><b>Threads.</b> One parse worker rents from a lease; holds are taken and released from any thread.</para>
/// </remarks>
internal sealed class RecordLease
{
    /// <summary>The longest line whose chars are pooled (<see cref="RentLine"/>).</summary>
    public const int MaxPooledLineChars = 64 * 1024;

    private const int MinPooledLineChars = 64;

    private readonly RecordPool _pool;
    private readonly List<Record> _records = [];
    private readonly List<char[]> _chars = [];
    private int _rented;
    private int _charsRented;
    private int _holds;

    internal RecordLease(RecordPool pool) => _pool = pool;

    /// <summary>Records of this lease handed out since it was taken from the pool.</summary>
    public int Rented => _rented;

    /// <summary>Counts the times this lease was taken from the pool: what it hands out is new in each.</summary>
    public int Generation { get; private set; }

    /// <summary>An empty field record, reused from an earlier batch when one is left, else new.</summary>
    public Record Rent(int capacity)
    {
        Record record;
        if (_rented < _records.Count)
        {
            record = _records[_rented];
        }
        else
        {
            record = new Record(capacity);
            _records.Add(record);
        }

        _rented++;
        return record;
    }

    /// <summary>
    /// A char array of at least <paramref name="min"/> chars (contents undefined) for text that this
    /// lease's records slice, reused from an earlier batch when one is left: the rescue decoder widens
    /// an entry's strings into such arrays. Like the records, it is written again only once every holder
    /// has let go.
    /// </summary>
    public char[] RentChars(int min)
    {
        if (_charsRented < _chars.Count && _chars[_charsRented].Length >= min)
        {
            return _chars[_charsRented++];
        }

        var chars = GC.AllocateUninitializedArray<char>(min);
        if (_charsRented < _chars.Count)
        {
            _chars[_charsRented] = chars; // too small for this batch's text: replaced
        }
        else
        {
            _chars.Add(chars);
        }

        _charsRented++;
        return chars;
    }

    /// <summary>
    /// A char array for a line of up to <paramref name="chars"/> chars, which the line's records will
    /// slice: rented (<see cref="RentChars"/>, the size rounded up to a power of two so that a slot is
    /// rarely replaced by a bigger one) up to <see cref="MaxPooledLineChars"/>; a longer line gets an
    /// array of its own, so a rare huge line does not stay pooled.
    /// </summary>
    public char[] RentLine(int chars) =>
        chars > MaxPooledLineChars ? new char[chars] : RentChars((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(chars, MinPooledLineChars)));

    /// <summary>A record rented from <paramref name="lease"/>, or a new one when there is no lease.</summary>
    public static Record RentOrNew(RecordLease? lease, int capacity) => lease?.Rent(capacity) ?? new Record(capacity);

    /// <summary>One more holder (a sink that queued a chunk of these records).</summary>
    public void Hold() => Interlocked.Increment(ref _holds);

    /// <summary>A holder is done with the records; the last one returns them to the pool.</summary>
    /// <exception cref="InvalidOperationException">More releases than holds (a bug that would reuse records still in use).</exception>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holds);
        if (left < 0)
        {
            throw new InvalidOperationException("record lease released more often than held");
        }

        if (left == 0)
        {
            _pool.Return(this);
        }
    }

    /// <summary>
    /// Empties the records handed out, so an idle lease keeps no line alive (their field arrays
    /// stay allocated), and makes them free to rent again.
    /// </summary>
    internal void Clear()
    {
        for (var i = 0; i < _rented; i++)
        {
            _records[i].Reset();
        }

        _rented = 0;
        _charsRented = 0;
    }

    /// <summary>Ready for a new batch: one hold (the taker's).</summary>
    internal void Restart()
    {
        Generation++;
        Volatile.Write(ref _holds, 1);
    }
}

/// <summary>
/// Record leases whose batches every holder has let go, for the parse workers to reuse. Every
/// returned lease is kept: a lease is made only when none is idle, so the pool holds the most leases
/// that were ever out at once — what the bounded queues between parse workers and sinks let through
/// (a few for file sinks; a database sink's batch of 65536 records plus its queue, about 500).
/// </summary>
/// <remarks>
/// A cap (32 idle leases, once) left the records of big batches to the garbage collector after each
/// flush: they had aged into the oldest generation while the batch filled, so every batch made work
/// for full collections (10^6 lines into a blackhole sink with batch_size 65536: 1.9 s wall and
/// 2.6 CPU-s with the cap, 1.0 s and 1.5 CPU-s without).
/// </remarks>
internal sealed class RecordPool
{
    private readonly ConcurrentQueue<RecordLease> _idle = new();

    /// <summary>Idle leases now (for tests).</summary>
    public int IdleCount => _idle.Count;

    /// <summary>A lease with one hold (the caller's), reusing an idle one when there is one.</summary>
    public RecordLease Take()
    {
        var lease = _idle.TryDequeue(out var idle) ? idle : new RecordLease(this);
        lease.Restart();
        return lease;
    }

    internal void Return(RecordLease lease)
    {
        lease.Clear();
        _idle.Enqueue(lease);
    }
}
