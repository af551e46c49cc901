namespace Wp.Core.Sources;

/// <summary>What one source has read so far; written by its reader, read by the stat printer.</summary>
internal sealed class SourceCounters
{
    private long _lines;
    private long _invalidUtf8;
    private long _bytes;
    private long _connections;
    private long _dropped;
    private long _cut;
    private long _kernelDropped;
    private long _redelivered;

    private long _split;

    /// <param name="key">The source key.</param>
    /// <param name="path">What the source reads: a file path, or an address for network sources.</param>
    /// <param name="isNetwork">Network sources also count bytes, connections, drops and cut frames.</param>
    public SourceCounters(string key, string path, bool isNetwork = false)
    {
        Key = key;
        Path = path;
        IsNetwork = isNetwork;
    }

    public string Key { get; }

    public string Path { get; }

    public bool IsNetwork { get; }

    /// <summary>Lines (messages) handed to the parse workers.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    public long InvalidUtf8 => Interlocked.Read(ref _invalidUtf8);

    /// <summary>Bytes received (network sources), framing included.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Connections accepted so far (TCP sources).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Messages that could not be taken (UDP: pipeline full, or dropped by the kernel's socket buffer).</summary>
    public long Dropped => Interlocked.Read(ref _dropped) + Interlocked.Read(ref _kernelDropped);

    /// <summary>Frames longer than <c>max_line_bytes</c> that were cut.</summary>
    public long Cut => Interlocked.Read(ref _cut);

    /// <summary>Messages delivered more than once (a NATS message another consumer did not acknowledge in time).</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    internal void AddRedelivered() => Interlocked.Increment(ref _redelivered);

    internal void AddLines(long count) => Interlocked.Add(ref _lines, count);

    /// <summary>Lines longer than the line cap that were split into pieces.</summary>
    public long SplitLines => Interlocked.Read(ref _split);

    internal void AddInvalidUtf8(long count) => Interlocked.Add(ref _invalidUtf8, count);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    internal void AddConnection() => Interlocked.Increment(ref _connections);

    internal void AddDropped(long count) => Interlocked.Add(ref _dropped, count);

    internal void AddCut() => Interlocked.Increment(ref _cut);

    /// <summary>The kernel's own count of datagrams it dropped for this source's socket.</summary>
    internal void SetKernelDropped(long count) => Interlocked.Exchange(ref _kernelDropped, count);

    /// <summary>Counts split lines; true for the first ones of the run (warn once).</summary>
    internal bool AddSplit(long count) => count > 0 && Interlocked.Add(ref _split, count) == count;
}
