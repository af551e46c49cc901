using System.Buffers;
using System.Globalization;

namespace Wp.Core.Records;

/// <summary>
/// A growable char buffer rented from the shared pool. Formatters append whole lines to it and a
/// sink writes it out once per batch, so formatting allocates nothing per record.
/// </summary>
internal sealed class TextBuffer : IDisposable
{
    private char[] _chars;
    private int _length;

    public TextBuffer(int initialCapacity = 64 * 1024) => _chars = ArrayPool<char>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    public ReadOnlyMemory<char> Memory => _chars.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops everything after <paramref name="length"/> (to undo a partial append).</summary>
    public void Truncate(int length) => _length = Math.Clamp(length, 0, _length);

    /// <summary>The text appended since <paramref name="start"/>; valid until the next append.</summary>
    public ReadOnlySpan<char> From(int start) => _chars.AsSpan(start, _length - start);

    /// <summary>The text appended since <paramref name="start"/>, writable in place; valid until the next append.</summary>
    public Span<char> MutableFrom(int start) => _chars.AsSpan(start, _length - start);

    /// <summary>
    /// Room for at least <paramref name="count"/> more chars, written in place; <see cref="Advance"/>
    /// then commits what was written. One capacity check for a run of short appends (the formatters'
    /// per-field separators, names and quotes).
    /// </summary>
    public Span<char> GetSpan(int count)
    {
        if (_length + count > _chars.Length)
        {
            Grow(count);
        }

        return _chars.AsSpan(_length);
    }

    /// <summary>Commits <paramref name="count"/> chars written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int count) => _length += count;

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    public void Append(string text) => Append(text.AsSpan());

    public void Append(long value) => AppendFormattable(value, default);

    public void Append(double value) => AppendFormattable(value, "R");

    /// <summary>Appends <paramref name="value"/> formatted with the invariant culture.</summary>
    public void AppendFormattable<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        int written;
        while (!value.TryFormat(_chars.AsSpan(_length), out written, format, CultureInfo.InvariantCulture))
        {
            Grow(64);
        }

        _length += written;
    }

    public override string ToString() => new(Span);

    public void Dispose()
    {
        var chars = _chars;
        _chars = [];
        _length = 0;
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars.AsSpan(0, _length).CopyTo(bigger);
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
        }

        _chars = bigger;
    }
}
