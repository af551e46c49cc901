using System.Buffers;

namespace Wp.Core.Sources.Net;

/// <summary>
/// Splits one TCP connection's bytes into messages (docs/sources.md): newline-delimited, or RFC 6587
/// octet counting (<c>LEN SP MSG</c>), decided from the connection's first byte when framing is
/// auto. A frame longer than <c>max_line_bytes</c> is cut to that size (the rest is skipped) and
/// counted, so one connection's memory stays bounded by about max_line_bytes + one read.
/// </summary>
internal sealed class FrameReader : IDisposable
{
    private const int MaxLengthDigits = 10;

    private readonly int _maxBytes;
    private Framing _framing;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Bytes of the current frame still to skip after it was cut.</summary>
    private long _skip;

    /// <summary>Newline mode: the current line was cut; skip to its newline.</summary>
    private bool _skipToNewline;

    public FrameReader(int maxBytes, Framing framing)
    {
        _maxBytes = maxBytes;
        _framing = framing;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 64, 64 * 1024));
    }

    /// <summary>Frames cut at max_line_bytes.</summary>
    public long Cut { get; private set; }

    /// <summary>Set when an octet-counted connection sent a frame without a valid length; it is read as newline-delimited from then on.</summary>
    public bool FellBackToNewline { get; private set; }

    public Framing Framing => _framing;

    /// <summary>Appends received bytes and calls <paramref name="onMessage"/> for every complete message.</summary>
    public void Push(ReadOnlySpan<byte> data, Action<ReadOnlySpan<byte>> onMessage)
    {
        while (data.Length > 0)
        {
            // Skipping the cut part of a frame needs no buffer space.
            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }

            var room = EnsureRoom(data.Length);
            var take = Math.Min(room, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_end));
            _end += take;
            data = data[take..];
            Extract(onMessage, atEnd: false);
        }
    }

    /// <summary>At end of stream: a last message without its newline is still a message.</summary>
    public void Finish(Action<ReadOnlySpan<byte>> onMessage)
    {
        Extract(onMessage, atEnd: true);
        if (_end > _start && !_skipToNewline && _skip == 0 && _framing != Framing.OctetCounting)
        {
            onMessage(_buffer.AsSpan(_start, _end - _start));
        }

        _start = _end = 0;
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

    private void Extract(Action<ReadOnlySpan<byte>> onMessage, bool atEnd)
    {
        while (_end > _start)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            if (_framing == Framing.Auto)
            {
                if (Detect(pending, atEnd) is not { } detected)
                {
                    return; // the first bytes are still arriving
                }

                _framing = detected;
            }

            if (_framing == Framing.Newline)
            {
                var newline = pending.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (!_skipToNewline)
                    {
                        onMessage(pending[..newline]);
                    }

                    _skipToNewline = false;
                    _start += newline + 1;
                    continue;
                }

                if (_skipToNewline)
                {
                    _start = _end; // still inside a cut line
                    return;
                }

                if (pending.Length >= _maxBytes)
                {
                    Cut++;
                    onMessage(pending[.._maxBytes]);
                    _start = _end;
                    _skipToNewline = true;
                    continue;
                }

                return;
            }

            // Octet counting. Senders often end each frame with a newline too; skip those between frames.
            if (pending[0] is (byte)'\n' or (byte)'\r' or (byte)' ')
            {
                _start++;
                continue;
            }

            var space = pending[..Math.Min(pending.Length, MaxLengthDigits + 1)].IndexOf((byte)' ');
            if (space < 0)
            {
                if (pending.Length > MaxLengthDigits || !AllDigits(pending) || atEnd)
                {
                    FallBack();
                    continue;
                }

                return; // the length is still arriving
            }

            if (space == 0 || !AllDigits(pending[..space]) || !long.TryParse(pending[..space], out var length))
            {
                FallBack();
                continue;
            }

            var body = pending[(space + 1)..];
            if (length > _maxBytes)
            {
                if (body.Length < _maxBytes)
                {
                    return; // keep buffering up to the cut size
                }

                Cut++;
                onMessage(body[.._maxBytes]);
                var buffered = body.Length - _maxBytes;
                var rest = length - _maxBytes;
                var dropNow = (int)Math.Min(rest, buffered);
                _start += space + 1 + _maxBytes + dropNow;
                _skip = rest - dropNow;
                continue;
            }

            if (body.Length < length)
            {
                return;
            }

            onMessage(body[..(int)length]);
            _start += space + 1 + (int)length;
        }
    }

    /// <summary>
    /// RFC 6587 octet counting carries syslog messages: <c>LEN SP &lt;PRI&gt;...</c>. A connection whose first
    /// bytes are a non-zero length, a space and <c>&lt;</c> is octet-counted; anything else is newline-delimited
    /// (so plain lines that start with a number are not mistaken for lengths). Null: not enough bytes yet.
    /// </summary>
    private static Framing? Detect(ReadOnlySpan<byte> pending, bool atEnd)
    {
        if (pending[0] is < (byte)'1' or > (byte)'9')
        {
            return Framing.Newline;
        }

        for (var i = 1; i < pending.Length && i <= MaxLengthDigits; i++)
        {
            if (pending[i] == (byte)' ')
            {
                return i + 1 < pending.Length ? (pending[i + 1] == (byte)'<' ? Framing.OctetCounting : Framing.Newline)
                    : atEnd ? Framing.Newline : null;
            }

            if (pending[i] is < (byte)'0' or > (byte)'9')
            {
                return Framing.Newline;
            }
        }

        return pending.Length > MaxLengthDigits || atEnd ? Framing.Newline : null;
    }

    private void FallBack()
    {
        _framing = Framing.Newline;
        FellBackToNewline = true;
    }

    private static bool AllDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes room after the pending bytes (compacting, then growing up to max_line_bytes + slack); returns the room.</summary>
    private int EnsureRoom(int wanted)
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        var limit = _maxBytes + MaxLengthDigits + 2;
        if (_buffer.Length - _end < wanted && _buffer.Length < limit)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(_buffer.Length * 2, _end + wanted), limit));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.Length - _end;
    }
}
