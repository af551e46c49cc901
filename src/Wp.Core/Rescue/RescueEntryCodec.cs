using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

/// <summary>
/// Rescue entries (docs/configuration.md, rescue files): one JSON object per line, versioned and self-describing.
/// <code>
/// {"v":1,"f":[["sip","ip","10.0.0.1"],["status","i",200],["msg","s","GET /"]]}
/// {"v":1,"raw":"an unparsed line"}
/// </code>
/// Each field is <c>[name, kind, value]</c> with kinds <c>s</c> string, <c>i</c> int, <c>f</c> float,
/// <c>b</c> bool, <c>ip</c> IP (text as written), <c>t</c> date-time (ISO 8601 without zone, full
/// 100 ns precision), <c>_</c> ignored (value <c>null</c>). Floats are JSON numbers in shortest
/// round-trip form; the non-finite ones are the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c>, and a NaN with a non-default payload is <c>"NaN:&lt;16 hex digits&gt;"</c>, so
/// every double survives bit for bit.
/// </summary>
/// <remarks>
/// Hot path (replay targets 1M+ entries/s): the common entry (printable ASCII, no floats) is written
/// and read by hand — reading is one pass over the bytes, names and kinds recognised by comparing each
/// field's <c>,["name","kind",</c> with the previous entry's at the same position, string values
/// widened into a per-thread char slab that many entries' values slice. Every other entry goes
/// through a reused <see cref="Utf8JsonWriter"/> / one <see cref="Utf8JsonReader"/> pass (names
/// interned through a small per-thread cache, an entry's strings sharing one char array); the hand
/// paths accept only what those accept, with the same result (property tests hold them together).
/// Strings are UTF-16 in memory and UTF-8 on disk: a lone surrogate (invalid UTF-16, which no UTF-8
/// source can produce) is written as U+FFFD.
/// <para>One file per job: this one has the entry points and the date-time text the reader path reads;
/// <c>RescueEntryCodec.PlainEncoder.cs</c>, <c>.JsonEncoder.cs</c>, <c>.PlainDecoder.cs</c>,
/// <c>.JsonDecoder.cs</c> and <c>.NameCache.cs</c> the rest.</para>
/// </remarks>
internal static partial class RescueEntryCodec
{
    public const int Version = 1;

    /// <summary>Appends one entry for <paramref name="record"/> and a terminating <c>\n</c>.</summary>
    public static void Encode(Record record, IBufferWriter<byte> output)
    {
        if (!TryEncodePlain(record, output))
        {
            EncodeWithWriter(record, output);
        }
    }

    /// <summary>
    /// Decodes one entry line (a trailing <c>\r</c>/<c>\n</c> is allowed). Does not throw: on any
    /// bad input it returns false with a short reason in <paramref name="error"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record, out string? error) =>
        TryDecode(utf8Line, plainFastPath: true, lease: null, out record, out error);

    /// <summary>
    /// Like <see cref="TryDecode(ReadOnlySpan{byte}, out Record?, out string?)"/>; the common entry's
    /// record is rented from <paramref name="lease"/> (the replay's decoder reuses records per chunk).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Line, RecordLease? lease, [NotNullWhen(true)] out Record? record, out string? error) =>
        TryDecode(utf8Line, plainFastPath: true, lease, out record, out error);

    /// <summary>Like <see cref="TryDecode(ReadOnlySpan{byte}, out Record?, out string?)"/>, always through the JSON reader (for tests).</summary>
    internal static bool TryDecodeWithReader(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record, out string? error) =>
        TryDecode(utf8Line, plainFastPath: false, lease: null, out record, out error);

    /// <summary>Only the plain fast path (for tests): false for every line it leaves to the JSON reader.</summary>
    internal static bool TryDecodePlainOnly(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out Record? record) =>
        TryDecodePlain(utf8Line, lease: null, out record);

    private static bool TryDecode(ReadOnlySpan<byte> utf8Line, bool plainFastPath, RecordLease? lease, [NotNullWhen(true)] out Record? record, out string? error)
    {
        try
        {
            if (plainFastPath && TryDecodePlain(utf8Line, lease, out record))
            {
                error = null;
                return true;
            }

            return TryDecodeCore(utf8Line, out record, out error);
        }
        catch (JsonException ex)
        {
            record = null;
            error = "not a JSON entry: " + ex.Message;
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            record = null;
            error = "malformed entry: " + ex.Message;
            return false;
        }
    }

    /// <summary>Takes a trailing <c>+hh:mm</c> / <c>-hh:mm</c> off a date-time text; null (text unchanged) when there is none.</summary>
    private static TimeSpan? SplitOffset(ref ReadOnlySpan<byte> s)
    {
        if (s.Length >= 25 && s[^6] is (byte)'+' or (byte)'-' && s[^3] == (byte)':'
            && TwoDigits(s[^5..^3]) is >= 0 and <= 18 and var hours && TwoDigits(s[^2..]) is >= 0 and <= 59 and var minutes)
        {
            var o = new TimeSpan(hours, minutes, 0);
            var negative = s[^6] == (byte)'-';
            s = s[..^6];
            return negative ? -o : o;
        }

        return null;
    }

    private static int TwoDigits(ReadOnlySpan<byte> s) =>
        s.Length == 2 && char.IsAsciiDigit((char)s[0]) && char.IsAsciiDigit((char)s[1]) ? ((s[0] - '0') * 10) + (s[1] - '0') : -1;

    /// <summary><c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]</c>, the form the encoder writes; anything else is left to the reader.</summary>
    private static bool TryPlainDateTime(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length < 19 || s.Length == 20 || s.Length > 27 || s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T'
            || s[13] != (byte)':' || s[16] != (byte)':' || (s.Length > 19 && s[19] != (byte)'.'))
        {
            return false;
        }

        if (!Num(s[..4], out var year) || !Num(s.Slice(5, 2), out var month) || !Num(s.Slice(8, 2), out var day)
            || !Num(s.Slice(11, 2), out var hour) || !Num(s.Slice(14, 2), out var minute) || !Num(s.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = 0;
        if (s.Length > 19)
        {
            if (!Num(s[20..], out ticks))
            {
                return false;
            }

            for (var k = s.Length - 20; k < 7; k++)
            {
                ticks *= 10;
            }
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;

        static bool Num(ReadOnlySpan<byte> digits, out int n)
        {
            n = 0;
            foreach (var b in digits)
            {
                if (!char.IsAsciiDigit((char)b))
                {
                    return false;
                }

                n = (n * 10) + (b - '0');
            }

            return true;
        }
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
