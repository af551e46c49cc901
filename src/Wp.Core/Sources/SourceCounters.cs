namespace Wp.Core.Sources;

/// <summary>What one source has read so far; written by its reader, read by the stat printer.</summary>
internal sealed class SourceCounters
{
    private long _lines;
    private long _invalidUtf8;
    private long _split;

    public SourceCounters(string key, string path)
    {
        Key = key;
        Path = path;
    }

    public string Key { get; }

    public string Path { get; }

    public long Lines => Interlocked.Read(ref _lines);

    public long InvalidUtf8 => Interlocked.Read(ref _invalidUtf8);

    internal void AddLines(long count) => Interlocked.Add(ref _lines, count);

    /// <summary>Lines longer than the line cap that were split into pieces.</summary>
    public long SplitLines => Interlocked.Read(ref _split);

    internal void AddInvalidUtf8(long count) => Interlocked.Add(ref _invalidUtf8, count);

    /// <summary>Counts split lines; true for the first ones of the run (warn once).</summary>
    internal bool AddSplit(long count) => count > 0 && Interlocked.Add(ref _split, count) == count;
}
