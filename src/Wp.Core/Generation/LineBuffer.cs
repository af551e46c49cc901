using System.Buffers;
using System.Globalization;

namespace Wp.Core.Generation;

/// <summary>
/// A growable char buffer rented from <see cref="ArrayPool{T}"/>: the generator appends many lines
/// into one buffer and hands the span to the writer, so the hot path allocates nothing per line.
/// Not thread-safe; return it with <see cref="Dispose"/>.
/// </summary>
internal sealed class LineBuffer : IDisposable
{
    private char[] _chars;

    public LineBuffer(int capacity = 4096) => _chars = ArrayPool<char>.Shared.Rent(capacity);

    public int Length { get; private set; }

    /// <summary>The written text; valid until the next append.</summary>
    public ReadOnlySpan<char> Written => _chars.AsSpan(0, Length);

    /// <summary>The written text as memory, for asynchronous writes; valid until the next append.</summary>
    public ReadOnlyMemory<char> Memory => _chars.AsMemory(0, Length);

    public ReadOnlySpan<char> From(int start) => _chars.AsSpan(start, Length - start);

    public void Clear() => Length = 0;

    /// <summary>Drops everything after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    public void Append(char c)
    {
        if (Length == _chars.Length)
        {
            Grow(1);
        }

        _chars[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (Length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    public void Append(long value)
    {
        Span<char> tmp = stackalloc char[20];
        value.TryFormat(tmp, out var n, default, CultureInfo.InvariantCulture);
        Append(tmp[..n]);
    }

    /// <summary>Appends a non-negative number left-padded with zeros to <paramref name="width"/> digits.</summary>
    public void AppendPadded(int value, int width)
    {
        if (width == 2 && (uint)value < 100)
        {
            // Time parts: the common case, without formatting.
            Append((char)('0' + (value / 10)));
            Append((char)('0' + (value % 10)));
            return;
        }

        Span<char> tmp = stackalloc char[11];
        value.TryFormat(tmp, out var n, default, CultureInfo.InvariantCulture);
        for (var i = n; i < width; i++)
        {
            Append('0');
        }

        Append(tmp[..n]);
    }

    /// <summary>Shortest round-trip form ("12.5", "1E+16"), which the WPL float scanner reads back exactly.</summary>
    public void Append(double value)
    {
        Span<char> tmp = stackalloc char[32];
        value.TryFormat(tmp, out var n, "R", CultureInfo.InvariantCulture);
        Append(tmp[..n]);
    }

    /// <summary>Replaces every char of <c>[start, Length)</c> found in <paramref name="bad"/> with <paramref name="with"/>.</summary>
    public void Replace(int start, SearchValues<char> bad, char with)
    {
        var span = _chars.AsSpan(start, Length - start);
        for (var i = span.IndexOfAny(bad); i >= 0; i = span.IndexOfAny(bad))
        {
            span[i] = with;
            span = span[(i + 1)..];
        }
    }

    /// <summary>
    /// Backslash-escapes <c>"</c> and <c>\</c> in <c>[start, Length)</c> (what the WPL quote scanner
    /// undoes). A no-op, without copying, when neither occurs.
    /// </summary>
    public void EscapeFrom(int start)
    {
        var region = From(start);
        if (region.IndexOfAny('"', '\\') < 0)
        {
            return;
        }

        var copy = ArrayPool<char>.Shared.Rent(region.Length);
        region.CopyTo(copy);
        var count = region.Length;
        Length = start;
        for (var i = 0; i < count; i++)
        {
            if (copy[i] is '"' or '\\')
            {
                Append('\\');
            }

            Append(copy[i]);
        }

        ArrayPool<char>.Shared.Return(copy);
    }

    /// <summary>Wraps <c>[start, Length)</c> in double quotes, backslash-escaping <c>"</c> and <c>\</c> inside.</summary>
    public void QuoteFrom(int start)
    {
        Rewrite(start, '"', static (buffer, c) =>
        {
            if (c is '"' or '\\')
            {
                buffer.Append('\\');
            }

            buffer.Append(c);
        });
    }

    /// <summary>Wraps <c>[start, Length)</c> as a JSON string: quotes, backslash escapes, <c>\u00XX</c> for control chars.</summary>
    public void JsonQuoteFrom(int start)
    {
        Rewrite(start, '"', static (buffer, c) =>
        {
            if (c is '"' or '\\')
            {
                buffer.Append('\\');
                buffer.Append(c);
            }
            else if (c < ' ')
            {
                buffer.Append("\\u00");
                buffer.Append(GenText.Hex[c >> 4]);
                buffer.Append(GenText.Hex[c & 0xF]);
            }
            else
            {
                buffer.Append(c);
            }
        });
    }

    private void Rewrite(int start, char quote, Action<LineBuffer, char> write)
    {
        var count = Length - start;
        var copy = ArrayPool<char>.Shared.Rent(Math.Max(count, 1));
        _chars.AsSpan(start, count).CopyTo(copy);
        Length = start;
        Append(quote);
        for (var i = 0; i < count; i++)
        {
            write(this, copy[i]);
        }

        Append(quote);
        ArrayPool<char>.Shared.Return(copy);
    }

    public override string ToString() => new(Written);

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
        Length = 0;
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + needed));
        _chars.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = bigger;
    }
}
