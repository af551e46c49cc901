namespace Wp.Core.Recovery;

/// <summary>
/// Reads a rescue file line by line from a byte offset, tracking the offset just past each line
/// (what a checkpoint records). Memory is one buffer that only grows to the longest line, so it
/// does not depend on the file's size.
/// </summary>
/// <remarks>Not thread-safe. Returned spans are valid until the next call.</remarks>
internal sealed class RescueLineReader : IDisposable
{
    private const int InitialBuffer = 64 * 1024;

    private readonly FileStream _stream;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start; // first unread byte in _buffer
    private int _end;   // one past the last valid byte in _buffer
    private bool _eof;

    /// <summary>Opens <paramref name="path"/> for reading and positions it at <paramref name="offset"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public RescueLineReader(string path, long offset)
    {
        // Share Delete: the replayer deletes the file right after closing it, and a reader must never
        // block an operator from moving a file away.
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
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
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool terminated)
    {
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
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
