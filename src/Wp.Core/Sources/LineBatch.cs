namespace Wp.Core.Sources;

/// <summary>A run of lines read from one source: the unit that moves from the reader to the parse workers.</summary>
internal sealed class LineBatch
{
    public LineBatch(string sourceKey, int capacity)
    {
        SourceKey = sourceKey;
        Lines = new string[capacity];
    }

    public string SourceKey { get; }

    public string[] Lines { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Lines.Length;

    public void Add(string line) => Lines[Count++] = line;
}
