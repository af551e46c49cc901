using System.Collections.Concurrent;

namespace Wp.Core.Wpl;

/// <summary>
/// Maps key spans found in data (kv keys, json paths) to shared strings, so steady-state
/// parsing allocates no key strings. Lock-free reads; safe for concurrent parse workers.
/// Bounded: past <see cref="MaxEntries"/> distinct keys, new keys are allocated, not cached.
/// </summary>
internal sealed class KeyInterner
{
    private const int MaxEntries = 8192;
    private readonly ConcurrentDictionary<string, string> _map = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    public KeyInterner() => _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Intern(ReadOnlySpan<char> key)
    {
        if (_lookup.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var text = key.ToString();
        if (Volatile.Read(ref _count) < MaxEntries && _map.TryAdd(text, text))
        {
            Interlocked.Increment(ref _count);
        }

        return text;
    }
}
