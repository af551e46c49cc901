using System.Buffers;

namespace Wp.Core.Rescue;

/// <summary>
/// A growable byte buffer rented from the shared pool: the rescue writer and the database sinks
/// encode a whole batch into it and write it with one call, so encoding allocates nothing per record.
/// </summary>
internal sealed class PooledByteBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _bytes;
    private int _length;

    public PooledByteBuffer(int initialCapacity = 64 * 1024) => _bytes = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _bytes.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops everything after <paramref name="length"/> (to take out a half-written entry).</summary>
    public void Truncate(int length) => _length = Math.Clamp(length, 0, _length);

    /// <summary>Skips <paramref name="count"/> bytes to fill in later through <see cref="At"/> (a length prefix); returns their offset.</summary>
    public int Reserve(int count)
    {
        Ensure(count);
        _length += count;
        return _length - count;
    }

    public void Write(byte value)
    {
        Ensure(1);
        _bytes[_length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Bytes already written, to overwrite in place.</summary>
    public Span<byte> At(int offset, int count) => _bytes.AsSpan(0, _length).Slice(offset, count);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > _bytes.Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _bytes.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _bytes.AsSpan(_length);
    }

    public void Dispose()
    {
        var bytes = _bytes;
        _bytes = [];
        _length = 0;
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_bytes.Length - _length >= needed)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _length + needed));
        _bytes.AsSpan(0, _length).CopyTo(bigger);
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
        }

        _bytes = bigger;
    }
}
