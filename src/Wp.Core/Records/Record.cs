using System.Runtime.InteropServices;

namespace Wp.Core.Records;

/// <summary>
/// A parsed log line: an ordered list of fields, or raw text for records that were not parsed
/// (miss and residue). Field order is kept by every output format.
/// </summary>
internal sealed class Record
{
    private readonly List<Field> _fields;

    public Record(int capacity = 16) => _fields = new List<Field>(capacity);

    private Record(string raw)
    {
        _fields = [];
        Raw = raw;
    }

    /// <summary>A record that carries text as-is (miss, residue); formatters write it unchanged.</summary>
    public static Record FromRaw(string raw) => new(raw);

    /// <summary>The raw text when this is a raw record; otherwise null.</summary>
    public string? Raw { get; }

    public bool IsRaw => Raw is not null;

    public IReadOnlyList<Field> Fields => _fields;

    public int Count => _fields.Count;

    public Field this[int index] => _fields[index];

    public void Add(string name, Value value) => _fields.Add(new Field(name, value));

    public void Add(Field field) => _fields.Add(field);

    /// <summary>Empties a field record for reuse (<see cref="RecordLease"/>); its field array stays allocated.</summary>
    internal void Reset() => _fields.Clear();

    /// <summary>The field list itself, for the WPL matcher that fills a record in place; nothing else writes it.</summary>
    internal List<Field> FieldList => _fields;

    /// <summary>The fields in place, for hot loops that must not copy each (32-byte) field struct.</summary>
    internal ReadOnlySpan<Field> FieldSpan => CollectionsMarshal.AsSpan(_fields);

    /// <summary>The first field with this name, or null.</summary>
    public Field? Find(string name) => IndexOf(name) is >= 0 and var i ? _fields[i] : null;

    /// <summary>The index of the first field with this name, or -1.</summary>
    public int IndexOf(string name)
    {
        // A span, not the list's enumerator: no copy of each (large) field struct, no version checks.
        var fields = CollectionsMarshal.AsSpan(_fields);
        for (var i = 0; i < fields.Length; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => Raw ?? string.Join(", ", _fields.Select(f => $"{f.Name}: {f.Value}"));
}
