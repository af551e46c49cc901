using Wp.Core.Sources.Acks;

namespace Wp.Core.Sources;

/// <summary>A run of lines read from one source: the unit that moves from the reader to the parse workers.</summary>
internal sealed class LineBatch
{
    public LineBatch(string sourceKey, int capacity, AckTicket? ack = null)
    {
        SourceKey = sourceKey;
        Lines = new string[capacity];
        Ack = ack;
    }

    /// <summary>
    /// The batch's acknowledgement ticket, held once by whoever hands the batch on; the parse
    /// worker releases that hold after posting the records to every sink (which take their own).
    /// Null for sources that do not track acknowledgement.
    /// </summary>
    public AckTicket? Ack { get; set; }

    public string SourceKey { get; }

    public string[] Lines { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Lines.Length;

    public void Add(string line) => Lines[Count++] = line;
}
