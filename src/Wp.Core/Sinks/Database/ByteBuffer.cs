namespace Wp.Core.Sinks.Database;

/// <summary>
/// A growable byte buffer that a database sink encodes a whole batch into and reuses for the next
/// batch. Unlike <see cref="System.Buffers.ArrayBufferWriter{T}"/> it can be cut back, which is how a
/// row that turns out to be invalid halfway through is taken out again.
/// </summary>
internal sealed class ByteBuffer
{
    private byte[] _bytes;

    public ByteBuffer(int initialCapacity = 64 * 1024) => _bytes = new byte[initialCapacity];

    public int Length { get; private set; }

    public void Clear() => Length = 0;

    /// <summary>Drops everything after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = Math.Clamp(length, 0, Length);

    /// <summary>Bytes [start, start+length); valid until the next write.</summary>
    public ReadOnlyMemory<byte> Slice(int start, int length) => _bytes.AsMemory(start, length);

    /// <summary>A writable span of at least <paramref name="size"/> bytes at the end; <see cref="Advance"/> commits what was written.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (Length + size > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + size));
        }

        return _bytes.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Skips <paramref name="count"/> bytes to fill in later with <see cref="At"/>; returns their offset.</summary>
    public int Reserve(int count)
    {
        GetSpan(count);
        Length += count;
        return Length - count;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        Length++;
    }

    /// <summary>Overwrites bytes already written at <paramref name="offset"/> (a length prefix filled in afterwards).</summary>
    public Span<byte> At(int offset, int length) => _bytes.AsSpan(offset, length);
}
