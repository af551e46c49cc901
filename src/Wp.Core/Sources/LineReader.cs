using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Wp.Core.Sources;

/// <summary>
/// Splits a byte stream into <c>\n</c>-terminated lines (a trailing <c>\r</c> is dropped) and
/// decodes each as UTF-8, replacing invalid bytes with U+FFFD — bad input is counted, never fatal
/// (SPEC §4). Works on one pooled buffer; the only allocation per line is the line's string.
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>Lines longer than this are cut into pieces of this size (and counted) so memory stays bounded.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public LineReader(Stream stream, int bufferSize = 256 * 1024)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Lines that held invalid UTF-8 and were passed on with replacement characters.</summary>
    public long InvalidUtf8Lines { get; private set; }

    /// <summary>Lines longer than <see cref="MaxLineBytes"/> that were split.</summary>
    public long OversizedLines { get; private set; }

    /// <summary>Bytes of the stream consumed as complete lines.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Reads the next line. At end of stream a final line without <c>\n</c> is returned only when
    /// <paramref name="takePartialAtEnd"/> is set (batch mode); when following a growing file it is
    /// kept until its newline arrives. Returns false when no complete line is available now.
    /// </summary>
    public bool TryReadLine(bool takePartialAtEnd, out string line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Decode(pending[..newline]);
                Consume(newline + 1);
                return true;
            }

            if (pending.Length >= MaxLineBytes)
            {
                OversizedLines++;
                line = Decode(pending);
                Consume(pending.Length);
                return true;
            }

            if (Fill() == 0)
            {
                if (takePartialAtEnd && _end > _start)
                {
                    line = Decode(_buffer.AsSpan(_start, _end - _start));
                    Consume(_end - _start);
                    return true;
                }

                line = string.Empty;
                return false;
            }
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Consume(int bytes)
    {
        _start += bytes;
        Position += bytes;
    }

    /// <summary>Reads more bytes after the pending ones, compacting or growing the buffer first.</summary>
    private int Fill()
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxLineBytes + 1));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read;
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (!Utf8.IsValid(bytes))
        {
            InvalidUtf8Lines++;
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
