using System.Buffers;
using System.Numerics;

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
    public static void AppendQuoted(TextBuffer output, ReadOnlySpan<char> text) => AppendEscaped(output, text, json: false, plain: false);

    /// <summary><see cref="AppendQuoted(TextBuffer, ReadOnlySpan{char})"/> of a string value; one known to be plain text (<see cref="Value.IsPlainText"/>) is not searched for escapes.</summary>
    public static void AppendQuoted(TextBuffer output, in Value value) => AppendEscaped(output, value.Text, json: false, value.IsPlainText);

    /// <summary>
    /// Appends <paramref name="text"/> as a JSON string (RFC 8259): <c>"</c> and <c>\</c> escaped,
    /// <c>\n \r \t \b \f</c> in their short forms, other C0 controls as <c>\u00XX</c>. Non-ASCII is
    /// written as-is (the file is UTF-8); a lone surrogate becomes U+FFFD when the sink encodes it.
    /// </summary>
    public static void AppendJsonString(TextBuffer output, ReadOnlySpan<char> text) => AppendEscaped(output, text, json: true, plain: false);

    /// <summary><see cref="AppendJsonString(TextBuffer, ReadOnlySpan{char})"/> of a string value; one known to be plain text is not searched for escapes.</summary>
    public static void AppendJsonString(TextBuffer output, in Value value) => AppendEscaped(output, value.Text, json: true, value.IsPlainText);

    /// <summary>
    /// Appends <paramref name="before"/>, <paramref name="name"/> and <paramref name="after"/> with one
    /// capacity check: the separator, field name and colon every formatter writes before a value.
    /// The name is written as it is (kv and proto-text do not quote names).
    /// </summary>
    public static void AppendName(TextBuffer output, ReadOnlySpan<char> before, string name, ReadOnlySpan<char> after)
    {
        var length = before.Length + name.Length + after.Length;
        var destination = output.GetSpan(length);
        before.CopyTo(destination);
        name.CopyTo(destination[before.Length..]);
        after.CopyTo(destination[(before.Length + name.Length)..]);
        output.Advance(length);
    }

    /// <summary>The one escaping loop behind both quoting styles; they differ only in the rare escapes.</summary>
    private static void AppendEscaped(TextBuffer output, ReadOnlySpan<char> text, bool json, bool plain)
    {
        var next = plain ? -1 : text.IndexOfAny(NeedsEscape);
        if (next < 0)
        {
            // Nearly every value: nothing to escape, so quotes and text go in with one capacity check.
            var destination = output.GetSpan(text.Length + 2);
            destination[0] = '"';
            text.CopyTo(destination[1..]);
            destination[text.Length + 1] = '"';
            output.Advance(text.Length + 2);
            return;
        }

        output.Append('"');
        while (true)
        {
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
            next = text.IndexOfAny(NeedsEscape);
            if (next < 0)
            {
                output.Append(text);
                break;
            }
        }

        output.Append('"');
    }

    /// <summary>The length of <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public const int DateTimeLength = 19;

    /// <summary>Appends <c>yyyy-MM-dd HH:mm:ss</c> (docs/configuration.md, output formats); sub-second precision is not printed.</summary>
    public static void AppendDateTime(TextBuffer output, DateTime value)
    {
        WriteDateTime(output.GetSpan(DateTimeLength), value);
        output.Advance(DateTimeLength);
    }

    /// <summary>
    /// Writes <c>yyyy-MM-dd HH:mm:ss</c> into the first <see cref="DateTimeLength"/> chars, or UTF-8
    /// bytes, of <paramref name="destination"/>. By hand: fixed width, no culture lookup, no format
    /// string to parse, the calendar date computed once rather than once per part.
    /// </summary>
    public static void WriteDateTime<T>(Span<T> destination, DateTime value)
        where T : IBinaryInteger<T>
    {
        var text = destination[..DateTimeLength];
        var (year, month, day) = value;
        var seconds = (int)(value.TimeOfDay.Ticks / TimeSpan.TicksPerSecond);
        WriteDigits(text[..4], year);
        text[4] = T.CreateTruncating('-');
        WriteDigits(text.Slice(5, 2), month);
        text[7] = T.CreateTruncating('-');
        WriteDigits(text.Slice(8, 2), day);
        text[10] = T.CreateTruncating(' ');
        WriteDigits(text.Slice(11, 2), seconds / 3600);
        text[13] = T.CreateTruncating(':');
        WriteDigits(text.Slice(14, 2), seconds / 60 % 60);
        text[16] = T.CreateTruncating(':');
        WriteDigits(text.Slice(17, 2), seconds % 60);
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

    private static void WriteDigits<T>(Span<T> destination, int value)
        where T : IBinaryInteger<T>
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = T.CreateTruncating('0' + (value % 10));
            value /= 10;
        }
    }
}
