using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Wp.Core.Records;

namespace Wp.Core.Sources;

/// <summary>
/// Splits a byte stream into <c>\n</c>-terminated lines (a trailing <c>\r</c> is dropped) and
/// decodes each as UTF-8, replacing invalid bytes with U+FFFD — bad input is counted, never fatal
/// (docs/sources.md, "file_src"). Works on one pooled buffer; the only allocation per line is the
/// line's string, or none when the line goes into a record lease's char array.
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
        if (!TryTakeLine(takePartialAtEnd, out var start, out var length))
        {
            line = string.Empty;
            return false;
        }

        line = Encoding.UTF8.GetString(Checked(start, length));
        return true;
    }

    /// <summary>
    /// <see cref="TryReadLine(bool, out string)"/>, decoding the line into a char array of
    /// <paramref name="lease"/> (reused with the lease's records, which slice it) instead of a new
    /// string: <c>chars[0..length)</c> (<see cref="RecordLease.RentLine"/>).
    /// </summary>
    public bool TryReadLine(bool takePartialAtEnd, RecordLease lease, out char[] chars, out int length)
    {
        if (!TryTakeLine(takePartialAtEnd, out var start, out var count))
        {
            (chars, length) = ([], 0);
            return false;
        }

        var bytes = Checked(start, count);
        chars = lease.RentLine(Encoding.UTF8.GetMaxCharCount(bytes.Length));
        length = Encoding.UTF8.GetChars(bytes, chars);
        return true;
    }

    // Finds the next line's bytes (without its \n) and consumes them; they stay in the buffer until the next read.
    private bool TryTakeLine(bool takePartialAtEnd, out int start, out int length)
    {
        while (true)
        {
            start = _start;
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                length = newline;
                Consume(newline + 1);
                return true;
            }

            if (pending.Length >= MaxLineBytes)
            {
                OversizedLines++;
                length = pending.Length;
                Consume(length);
                return true;
            }

            if (Fill() == 0)
            {
                start = _start;
                length = _end - _start;
                if (takePartialAtEnd && length > 0)
                {
                    Consume(length);
                    return true;
                }

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

    // The line's bytes without a trailing \r; invalid UTF-8 is counted (decoding replaces it with U+FFFD).
    private ReadOnlySpan<byte> Checked(int start, int length)
    {
        var bytes = _buffer.AsSpan(start, length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (!Utf8.IsValid(bytes))
        {
            InvalidUtf8Lines++;
        }

        return bytes;
    }
}
