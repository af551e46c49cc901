using System.Buffers;

namespace Wp.Core.Records.Formatting;

/// <summary>
/// Shared, allocation-free helpers the formatters use to write values straight into a
/// <see cref="TextBuffer"/>: quoted strings (kv and proto-text), JSON strings, datetimes.
/// </summary>
internal static class TextEscaping
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Every char that needs escaping in any quoted format: C0 controls, <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\"\\");

    /// <summary>
    /// Appends <paramref name="text"/> in double quotes, the way kv and proto-text print strings:
    /// <c>"</c> → <c>\"</c>, <c>\</c> → <c>\\</c>, newline/CR/tab → <c>\n</c> <c>\r</c> <c>\t</c>,
    /// any other C0 control → <c>\xHH</c> (so a record always stays on one line). Everything else,
    /// non-ASCII included, is written as-is.
    /// </summary>
    public static void AppendQuoted(TextBuffer output, ReadOnlySpan<char> text) => AppendEscaped(output, text, json: false);

    /// <summary>
    /// Appends <paramref name="text"/> as a JSON string (RFC 8259): <c>"</c> and <c>\</c> escaped,
    /// <c>\n \r \t \b \f</c> in their short forms, other C0 controls as <c>\u00XX</c>. Non-ASCII is
    /// written as-is (the file is UTF-8); a lone surrogate becomes U+FFFD when the sink encodes it.
    /// </summary>
    public static void AppendJsonString(TextBuffer output, ReadOnlySpan<char> text) => AppendEscaped(output, text, json: true);

    /// <summary>The one escaping loop behind both quoting styles; they differ only in the rare escapes.</summary>
    private static void AppendEscaped(TextBuffer output, ReadOnlySpan<char> text, bool json)
    {
        output.Append('"');
        while (true)
        {
            var next = text.IndexOfAny(NeedsEscape);
            if (next < 0)
            {
                output.Append(text);
                break;
            }

            output.Append(text[..next]);
            var c = text[next];
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '\b' when json:
                    output.Append("\\b");
                    break;
                case '\f' when json:
                    output.Append("\\f");
                    break;
                default:
                    output.Append(json ? "\\u00" : "\\x");
                    output.Append(HexDigits[c >> 4]);
                    output.Append(HexDigits[c & 0xF]);
                    break;
            }

            text = text[(next + 1)..];
        }

        output.Append('"');
    }

    /// <summary>Appends <c>yyyy-MM-dd HH:mm:ss</c> (SPEC §7.2); sub-second precision is not printed.</summary>
    public static void AppendDateTime(TextBuffer output, DateTime value)
    {
        // Written by hand: fixed width, no culture lookup, no format-string parsing.
        Span<char> chars = stackalloc char[19];
        WriteDigits(chars[..4], value.Year);
        chars[4] = '-';
        WriteDigits(chars.Slice(5, 2), value.Month);
        chars[7] = '-';
        WriteDigits(chars.Slice(8, 2), value.Day);
        chars[10] = ' ';
        WriteDigits(chars.Slice(11, 2), value.Hour);
        chars[13] = ':';
        WriteDigits(chars.Slice(14, 2), value.Minute);
        chars[16] = ':';
        WriteDigits(chars.Slice(17, 2), value.Second);
        output.Append(chars);
    }

    /// <summary>Appends a bool as <c>true</c> or <c>false</c>.</summary>
    public static void AppendBool(TextBuffer output, bool value) => output.Append(value ? "true" : "false");

    /// <summary>
    /// Appends a value the way kv and raw print unquoted text: strings and IPs verbatim, numbers
    /// invariant (floats round-trip, <c>NaN</c>/<c>Infinity</c> as .NET spells them), bools lower-case.
    /// </summary>
    public static void AppendBare(TextBuffer output, in Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
            case ValueKind.Ip:
                output.Append(value.Text);
                break;
            case ValueKind.Int:
                output.Append(value.AsInt);
                break;
            case ValueKind.Float:
                output.Append(value.AsFloat);
                break;
            case ValueKind.Bool:
                AppendBool(output, value.AsBool);
                break;
            case ValueKind.DateTime:
                AppendDateTime(output, value.AsDateTime);
                break;
            default:
                break;
        }
    }

    /// <summary>Appends a raw record's text and the line terminator (every format does this).</summary>
    public static void AppendRawLine(TextBuffer output, string raw)
    {
        output.Append(raw);
        output.Append('\n');
    }

    private static void WriteDigits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
