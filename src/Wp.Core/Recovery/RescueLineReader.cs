namespace Wp.Core.Recovery;

/// <summary>
/// Reads a rescue file line by line from a byte offset, tracking the offset just past each line
/// (what a checkpoint records). Memory is one buffer that only grows to the longest line, so it
/// does not depend on the file's size.
/// </summary>
/// <remarks>
/// Not thread-safe. Returned spans are valid until the next call. Reads stop at a byte limit (the file's
/// size when its replay began), so a file that grows meanwhile cannot move a position past that size.
/// A line longer than <see cref="MaxLineBytes"/> is not kept whole: <see cref="TryReadLine"/> returns its
/// first <see cref="MaxLineBytes"/> bytes with <c>overLong</c> set and skips the rest, so memory stays
/// bounded whatever the file holds.
/// </remarks>
internal sealed class RescueLineReader : IDisposable
{
    /// <summary>Longest rescue line kept (the same cap as wparse's input lines). 16 MiB.</summary>
    public const int MaxLineBytes = Sources.LineReader.MaxLineBytes;

    private const int InitialBuffer = 64 * 1024;

    private readonly FileStream _stream;
    private readonly long _limit;
    private byte[]? _head; // the kept head of an over-long line
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start; // first unread byte in _buffer
    private int _end;   // one past the last valid byte in _buffer
    private bool _eof;

    /// <summary>Opens <paramref name="path"/> for reading and positions it at <paramref name="offset"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public RescueLineReader(string path, long offset)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0), offset, long.MaxValue)
    {
        // Share Delete: the replayer deletes the file right after closing it, and a reader must never
        // block an operator from moving a file away.
    }

    /// <summary>Reads <paramref name="stream"/> (owned from now on) from <paramref name="offset"/> up to byte <paramref name="limit"/>.</summary>
    public RescueLineReader(FileStream stream, long offset, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _stream = stream;
        _limit = limit;
        _stream.Seek(offset, SeekOrigin.Begin);
        Offset = offset;
    }

    /// <summary>Byte offset just past the last line returned (where the next line starts).</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// Returns the next line without its <c>\n</c>. <paramref name="terminated"/> is false only for a
    /// final line with no <c>\n</c>. Returns false at end of file.
    /// </summary>
    /// <exception cref="IOException">Reading failed.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool terminated) => TryReadLine(out line, out terminated, out _);

    /// <summary>As <see cref="TryReadLine(out ReadOnlySpan{byte}, out bool)"/>; <paramref name="overLong"/> is
    /// true for a line longer than <see cref="MaxLineBytes"/>, of which only the first bytes are returned.</summary>
    /// <exception cref="IOException">Reading failed.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool terminated, out bool overLong)
    {
        overLong = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                Offset += newline + 1;
                terminated = true;
                return true;
            }

            if (_end - _start >= MaxLineBytes)
            {
                // Keep the head of the over-long line, skip to its end (or the limit) without holding it.
                _head ??= new byte[MaxLineBytes];
                _buffer.AsSpan(_start, MaxLineBytes).CopyTo(_head);
                line = _head;
                Offset += _end - _start;
                _start = _end;
                terminated = SkipToLineEnd();
                overLong = true;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    Offset += _end - _start;
                    _start = _end;
                    terminated = false;
                    return true;
                }

                line = default;
                terminated = false;
                return false;
            }

            Fill();
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Discards bytes up to and including the next <c>\n</c>; false when the limit or end came first.</summary>
    private bool SkipToLineEnd()
    {
        var scratch = new byte[64 * 1024];
        while (true)
        {
            var want = (int)Math.Min(scratch.Length, _limit - _stream.Position);
            var read = want <= 0 ? 0 : _stream.Read(scratch, 0, want);
            if (read == 0)
            {
                _eof = true;
                return false;
            }

            var newline = scratch.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Offset += newline + 1;
                // Keep what follows the newline for the next line.
                var rest = read - newline - 1;
                scratch.AsSpan(newline + 1, rest).CopyTo(_buffer);
                _start = 0;
                _end = rest;
                return true;
            }

            Offset += read;
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Move the partial line to the front so the buffer only grows for a line longer than it.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes + InitialBuffer));
        }

        var want = (int)Math.Min(_buffer.Length - _end, _limit - _stream.Position);
        var read = want <= 0 ? 0 : _stream.Read(_buffer, _end, want);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
