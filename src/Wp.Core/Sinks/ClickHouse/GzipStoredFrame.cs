using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Wp.Core.Sinks.ClickHouse;

/// <summary>
/// Frames bytes as one gzip stream of stored (uncompressed) deflate blocks (RFC 1951 §3.2.4,
/// RFC 1952): a copy and a CRC, no compression.
/// </summary>
/// <remarks>
/// Why: ClickHouse inflates a request body sent with <c>Content-Encoding: gzip</c> and refuses the
/// INSERT unless the stream ends with its trailer. Plain text cut off after a whole row — a killed
/// process closes its connection cleanly — is stored up to that row (and a row cut inside its last
/// column is stored truncated); a gzip body cut off anywhere stores nothing. The trailer is written
/// by <see cref="Finish"/> only, so nothing commits a statement but its end.
/// </remarks>
internal sealed class GzipStoredFrame
{
    private const int MaxBlock = ushort.MaxValue;
    private const int BlockHeader = 5; // BFINAL/BTYPE byte, LEN, NLEN
    private static readonly byte[] s_header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]; // deflate, no flags, no mtime, unknown OS

    private readonly Crc32 _crc = new();
    private long _length;
    private bool _started;

    /// <summary>Appends <paramref name="data"/> (the gzip header first, once) to <paramref name="output"/>.</summary>
    public void Append(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (!_started)
        {
            output.Write(s_header);
            _started = true;
        }

        _crc.Append(data);
        _length += data.Length;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(data.Length, MaxBlock)];
            var span = output.GetSpan(BlockHeader + block.Length);
            WriteBlockHeader(span, final: false, block.Length);
            block.CopyTo(span[BlockHeader..]);
            output.Advance(BlockHeader + block.Length);
            data = data[block.Length..];
        }
    }

    /// <summary>Ends the stream: an empty final block and the trailer (CRC-32 and length of the data).</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            output.Write(s_header);
            _started = true;
        }

        var span = output.GetSpan(BlockHeader + 8);
        WriteBlockHeader(span, final: true, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[BlockHeader..], _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(span[(BlockHeader + 4)..], unchecked((uint)_length));
        output.Advance(BlockHeader + 8);
    }

    /// <summary><paramref name="data"/> as a whole gzip stream.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> data)
    {
        var output = new ArrayBufferWriter<byte>(data.Length + (data.Length / MaxBlock + 2) * BlockHeader + s_header.Length + 8);
        var frame = new GzipStoredFrame();
        frame.Append(data, output);
        frame.Finish(output);
        return output.WrittenSpan.ToArray();
    }

    // A stored block starts on a byte boundary: BFINAL in bit 0, BTYPE 00, padding; then LEN and its complement.
    private static void WriteBlockHeader(Span<byte> span, bool final, int length)
    {
        span[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[3..], (ushort)~length);
    }
}
