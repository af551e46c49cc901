using System.Buffers;
using System.Globalization;
using Wp.Core.Records;

namespace Wp.Core.Generation;

/// <summary>
/// What the generator does to a line under construction beyond appending: pad numbers, replace
/// forbidden characters, and quote or escape the text of one value in place (from its start offset).
/// </summary>
internal static class GeneratedText
{
    /// <summary>Appends a non-negative number left-padded with zeros to <paramref name="width"/> digits.</summary>
    public static void AppendPadded(this TextBuffer buffer, int value, int width)
    {
        if (width == 2 && (uint)value < 100)
        {
            // Time parts: the common case, without formatting.
            buffer.Append((char)('0' + (value / 10)));
            buffer.Append((char)('0' + (value % 10)));
            return;
        }

        Span<char> digits = stackalloc char[11];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        for (var i = n; i < width; i++)
        {
            buffer.Append('0');
        }

        buffer.Append(digits[..n]);
    }

    /// <summary>Replaces every char appended since <paramref name="start"/> found in <paramref name="bad"/> with <paramref name="with"/>.</summary>
    public static void Replace(this TextBuffer buffer, int start, SearchValues<char> bad, char with)
    {
        var span = buffer.MutableFrom(start);
        for (var i = span.IndexOfAny(bad); i >= 0; i = span.IndexOfAny(bad))
        {
            span[i] = with;
            span = span[(i + 1)..];
        }
    }

    /// <summary>
    /// Backslash-escapes <c>"</c> and <c>\</c> appended since <paramref name="start"/> (what the WPL
    /// quote scanner undoes). A no-op, without copying, when neither occurs.
    /// </summary>
    public static void EscapeFrom(this TextBuffer buffer, int start)
    {
        if (buffer.From(start).IndexOfAny('"', '\\') >= 0)
        {
            Rewrite(buffer, start, quote: null, AppendBackslashEscaped);
        }
    }

    /// <summary>Wraps the text appended since <paramref name="start"/> in double quotes, backslash-escaping <c>"</c> and <c>\</c> inside.</summary>
    public static void QuoteFrom(this TextBuffer buffer, int start) => Rewrite(buffer, start, '"', AppendBackslashEscaped);

    /// <summary>Wraps the text appended since <paramref name="start"/> as a JSON string: quotes, backslash escapes, <c>\u00XX</c> for control chars.</summary>
    public static void JsonQuoteFrom(this TextBuffer buffer, int start) => Rewrite(buffer, start, '"', static (buffer, c) =>
    {
        if (c < ' ')
        {
            buffer.Append("\\u00");
            buffer.Append(GenText.Hex[c >> 4]);
            buffer.Append(GenText.Hex[c & 0xF]);
        }
        else
        {
            AppendBackslashEscaped(buffer, c);
        }
    });

    private static void AppendBackslashEscaped(TextBuffer buffer, char c)
    {
        if (c is '"' or '\\')
        {
            buffer.Append('\\');
        }

        buffer.Append(c);
    }

    /// <summary>Re-appends the text since <paramref name="start"/> through <paramref name="write"/>, optionally between quotes.</summary>
    private static void Rewrite(TextBuffer buffer, int start, char? quote, Action<TextBuffer, char> write)
    {
        var region = buffer.From(start);
        var copy = ArrayPool<char>.Shared.Rent(Math.Max(region.Length, 1));
        var count = region.Length;
        region.CopyTo(copy);
        buffer.Truncate(start);
        if (quote is { } open)
        {
            buffer.Append(open);
        }

        for (var i = 0; i < count; i++)
        {
            write(buffer, copy[i]);
        }

        if (quote is { } close)
        {
            buffer.Append(close);
        }

        ArrayPool<char>.Shared.Return(copy);
    }
}
