using Wp.Core.Records;
using Wp.Core.Sources.Acks;

namespace Wp.Core.Sources;

/// <summary>
/// A run of lines read from one source: the unit that moves from the reader to the parse workers.
/// Lines are strings, or — from a reader given a record pool (the file source) — char arrays of the
/// batch's <see cref="Lease"/>, which the parse worker fills with the lines' records: a line then
/// costs no allocation, and its text is reused with its records instead of aging in the GC's older
/// generations while a sink's batch waits for its commit.
/// </summary>
internal sealed class LineBatch
{
    /// <summary>Lines per batch of the file and network sources (a sink's chunk is at most this many records).</summary>
    /// <remarks>
    /// Small on purpose: every batch queued between the reader, the parse workers and the sinks is
    /// alive at each young-generation GC, which copies it. 256 lines instead of 1024 cut what a GC
    /// finds alive to about a third (10^6-line file -> kv bench, 8 alternating runs: 7 % less wall,
    /// 5 % less CPU, peak RSS 57 -> 48 MiB); 128 gained nothing more.
    /// </remarks>
    public const int DefaultLines = 256;

    private Field[]?[]? _extra;
    private readonly char[][]? _chars;
    private readonly int[]? _lengths;

    public LineBatch(string sourceKey, int capacity, AckTicket? ack = null)
    {
        SourceKey = sourceKey;
        Capacity = capacity;
        Lines = new string[capacity];
        Ack = ack;
    }

    /// <summary>A batch of char-array lines of <paramref name="lease"/> (<see cref="Add(char[], int)"/>); it holds the lease's first hold.</summary>
    public LineBatch(string sourceKey, int capacity, RecordLease lease)
    {
        SourceKey = sourceKey;
        Capacity = capacity;
        Lines = [];
        Lease = lease;
        _chars = new char[capacity][];
        _lengths = new int[capacity];
    }

    /// <summary>The lease whose char arrays hold the lines and that the lines' records come from; null for string lines.</summary>
    public RecordLease? Lease { get; }

    /// <summary>
    /// The batch's acknowledgement ticket, held once by whoever hands the batch on; the parse
    /// worker releases that hold after posting the records to every sink (which take their own).
    /// Null for sources that do not track acknowledgement.
    /// </summary>
    public AckTicket? Ack { get; set; }

    public string SourceKey { get; }

    /// <summary>The string lines (empty in a batch of char-array lines).</summary>
    public string[] Lines { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Fields every record made from line <c>i</c> carries (a syslog header's fields), or null.</summary>
    public Field[]? ExtraAt(int index) => _extra?[index];

    public void Add(string line) => Lines[Count++] = line;

    /// <summary>Adds the line <c>chars[0..length)</c> (a batch made with a lease).</summary>
    public void Add(char[] chars, int length)
    {
        _chars![Count] = chars;
        _lengths![Count++] = length;
    }

    /// <summary>Line <paramref name="index"/> of a batch of char-array lines: <c>chars[0..length)</c>; false for a string line.</summary>
    public bool TryGetChars(int index, out char[] chars, out int length)
    {
        if (_chars is null)
        {
            (chars, length) = ([], 0);
            return false;
        }

        (chars, length) = (_chars[index], _lengths![index]);
        return true;
    }

    /// <summary>Adds a line whose records also carry <paramref name="extra"/> (null: none).</summary>
    public void Add(string line, Field[]? extra)
    {
        if (extra is not null)
        {
            (_extra ??= new Field[]?[Capacity])[Count] = extra;
        }

        Lines[Count++] = line;
    }
}
