using System.Buffers;

namespace Wp.Core.Rescue;

/// <summary>
/// A growable byte buffer rented from the shared pool: the rescue writer encodes a whole batch
/// into it and writes it with one call, so encoding allocates nothing per record.
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
