using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// Span scanners for the WPL value types. Each returns how many chars it consumed from the
/// start of the span (0 = no match) and never throws. Shared by the matchers, OML casts and
/// the generator.
/// </summary>
internal static class WplScan
{
    private const int MaxIpLength = 45;

    /// <summary>Optional sign then decimal digits; 0 when absent or out of range.</summary>
    public static int Digit(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            i++;
        }

        var digitsStart = i;
        ulong acc = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            acc = (acc * 10) + (ulong)(s[i] - '0');
            if (acc > (ulong)long.MaxValue + 1 || i - digitsStart > 19)
            {
                return 0;
            }

            i++;
        }

        if (i == digitsStart || (!negative && acc > long.MaxValue))
        {
            return 0;
        }

        value = negative ? (long)(0 - acc) : (long)acc;
        return i;
    }

    /// <summary><c>[sign]digits[.digits][e[sign]digits]</c> (a leading or trailing dot is allowed).</summary>
    public static int Float(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        var i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            i++;
        }

        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return 0;
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var j = i + 1;
            if (j < s.Length && (s[j] == '-' || s[j] == '+'))
            {
                j++;
            }

            var expStart = j;
            while (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                j++;
            }

            if (j > expStart)
            {
                i = j;
            }
        }

        return double.TryParse(s[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out value) ? i : 0;
    }

    /// <summary><c>true</c> / <c>false</c>, any case.</summary>
    public static int Bool(ReadOnlySpan<char> s, out bool value)
    {
        if (s.StartsWith("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return 4;
        }

        value = false;
        return s.StartsWith("false", StringComparison.OrdinalIgnoreCase) ? 5 : 0;
    }

    /// <summary><c>[A-Za-z0-9-]+</c>.</summary>
    public static int Sn(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-'))
        {
            i++;
        }

        return i;
    }

    /// <summary>An IPv4 dotted quad, else an IPv6 address.</summary>
    public static int Ip(ReadOnlySpan<char> s)
    {
        var v4 = Ipv4(s);
        if (v4 > 0)
        {
            // "1.2.3.4.5" or "1.2.3.456" is not an address followed by text.
            return v4 < s.Length && (char.IsAsciiDigit(s[v4]) || (s[v4] == '.' && v4 + 1 < s.Length && char.IsAsciiDigit(s[v4 + 1]))) ? 0 : v4;
        }

        var i = 0;
        var colons = 0;
        while (i < s.Length && i <= MaxIpLength && (char.IsAsciiHexDigit(s[i]) || s[i] == ':' || s[i] == '.'))
        {
            colons += s[i] == ':' ? 1 : 0;
            i++;
        }

        if (colons < 2 || i > MaxIpLength)
        {
            return 0;
        }

        // A trailing ':' belongs to what follows (e.g. "::1:"), never to the address.
        while (i > 0 && s[i - 1] == ':' && !(i >= 2 && s[i - 2] == ':'))
        {
            i--;
        }

        return IPAddress.TryParse(s[..i], out var addr) && addr.AddressFamily == AddressFamily.InterNetworkV6 ? i : 0;
    }

    private static int Ipv4(ReadOnlySpan<char> s)
    {
        var i = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return 0;
                }

                i++;
            }

            var start = i;
            var v = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 3)
            {
                v = (v * 10) + (s[i] - '0');
                i++;
            }

            if (i == start || v > 255)
            {
                return 0;
            }
        }

        return i;
    }

    /// <summary>
    /// <c>Y-M-D H:M:S</c> (1–2 digit parts), RFC 3339 (<c>T</c>, fraction, <c>Z</c>/offset) or
    /// <c>dd/Mon/yyyy:HH:MM:SS</c> (an optional <c> +zzzz</c>); the wall clock only.
    /// </summary>
    public static int Time(ReadOnlySpan<char> s, out DateTime value) => Time(s, out value, out _);

    /// <summary>As <see cref="Time(ReadOnlySpan{char}, out DateTime)"/>, with the UTC offset when the text has one (<c>Z</c> is +00:00).</summary>
    public static int Time(ReadOnlySpan<char> s, out DateTime value, out TimeSpan? offset)
    {
        var n = IsoTime(s, out value, out offset);
        if (n > 0)
        {
            return n;
        }

        n = ClfTime(s, out value);
        if (n > 0)
        {
            var off = SpacedOffset(s[n..], out offset);
            return n + off;
        }

        offset = null;
        n = SyslogTime(s, out value);
        if (n > 0)
        {
            return n;
        }

        return Rfc2822(s, out value, out offset);
    }

    /// <summary>
    /// The year given to yearless syslog times (<c>Jul 22 09:58:26</c>); set once at rule load from
    /// the injected clock (defaults to 1970 in tests that never load rules).
    /// </summary>
    public static int YearlessYear { get; set; } = 1970;

    /// <summary>
    /// <c>Mon D HH:MM:SS</c> (BSD syslog, day space-padded, year taken from <see cref="YearlessYear"/>)
    /// or <c>Mon D YYYY HH:MM:SS</c>; a following offset is left for the next field.
    /// </summary>
    public static int SyslogTime(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        if (s.Length < 14)
        {
            return 0;
        }

        var month = Month(s[..3]);
        var i = 3;
        if (month == 0 || !Lit(s, ref i, ' '))
        {
            return 0;
        }

        Lit(s, ref i, ' ');
        if (!Num(s, ref i, 1, 2, out var day) || !Lit(s, ref i, ' '))
        {
            return 0;
        }

        var year = YearlessYear;
        var save = i;
        if (Num(s, ref i, 4, 4, out var y) && Lit(s, ref i, ' '))
        {
            year = y;
        }
        else
        {
            i = save;
        }

        if (!Num(s, ref i, 1, 2, out var hour) || !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var minute) ||
            !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var second))
        {
            return 0;
        }

        var ticks = Fraction(s, ref i);
        return Build(year, month, day, hour, minute, second, ticks, out value) ? i : 0;
    }

    /// <summary><c>[Ddd, ]DD Mon YYYY HH:MM:SS [+zzzz|GMT|UTC]</c> (RFC 2822); the zone is read and dropped.</summary>
    public static int Rfc2822(ReadOnlySpan<char> s, out DateTime value) => Rfc2822(s, out value, out _);

    /// <summary>As <see cref="Rfc2822(ReadOnlySpan{char}, out DateTime)"/>, with the offset when written as +zzzz.</summary>
    public static int Rfc2822(ReadOnlySpan<char> s, out DateTime value, out TimeSpan? offset)
    {
        value = default;
        offset = null;
        var i = 0;
        if (s.Length > 5 && char.IsAsciiLetter(s[0]) && s[3] == ',')
        {
            i = 4;
            while (i < s.Length && s[i] == ' ')
            {
                i++;
            }
        }

        if (!Num(s, ref i, 1, 2, out var day) || !Lit(s, ref i, ' ') || i + 3 > s.Length)
        {
            return 0;
        }

        var month = Month(s.Slice(i, 3));
        i += 3;
        if (month == 0 || !Lit(s, ref i, ' ') || !Num(s, ref i, 4, 4, out var year) || !Lit(s, ref i, ' ') ||
            !Num(s, ref i, 2, 2, out var hour) || !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var minute) ||
            !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var second))
        {
            return 0;
        }

        if (!Build(year, month, day, hour, minute, second, 0, out value))
        {
            return 0;
        }

        var off = SpacedOffset(s[i..], out offset);
        if (off > 0)
        {
            return i + off;
        }

        foreach (var zone in (ReadOnlySpan<string>)[" GMT", " UTC", " Z"])
        {
            if (s[i..].StartsWith(zone, StringComparison.Ordinal))
            {
                return i + zone.Length;
            }
        }

        return i;
    }

    /// <summary>
    /// Unix time: 10 digits (seconds), 13 (milliseconds), 16 (microseconds) or 19 (nanoseconds),
    /// an optional fraction after seconds. The value is UTC.
    /// </summary>
    public static int Timestamp(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == 0 || i > 19 || !long.TryParse(s[..i], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return 0;
        }

        long ticks;
        if (i <= 11)
        {
            ticks = n * TimeSpan.TicksPerSecond;
            ticks += Fraction(s, ref i);
        }
        else if (i <= 13)
        {
            ticks = n * TimeSpan.TicksPerMillisecond;
        }
        else if (i <= 16)
        {
            ticks = n * 10;
        }
        else
        {
            ticks = n / 100;
        }

        if (i < s.Length && char.IsAsciiLetterOrDigit(s[i]))
        {
            return 0;
        }

        var epoch = DateTime.UnixEpoch.Ticks;
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks - epoch)
        {
            return 0;
        }

        value = new DateTime(epoch + ticks, DateTimeKind.Unspecified);
        return i;
    }

    /// <summary>A run of chars accepted by <paramref name="accept"/>; 0 when empty.</summary>
    public static int Run(ReadOnlySpan<char> s, Func<char, bool> accept)
    {
        var i = 0;
        while (i < s.Length && accept(s[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary><c>a.b.c</c> host names: labels of letters, digits and '-', at least one dot.</summary>
    public static int Domain(ReadOnlySpan<char> s)
    {
        var n = Run(s, c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');
        while (n > 0 && s[n - 1] == '.')
        {
            n--;
        }

        var body = s[..n];
        return body.Contains('.') && body.IndexOfAnyExceptInRange('0', '9') >= 0 && body[0] != '.' && body[0] != '-' && !body.Contains("..", StringComparison.Ordinal) && HasLetter(body) ? n : 0;
    }

    private static bool HasLetter(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (char.IsAsciiLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>local@domain</c>.</summary>
    public static int Email(ReadOnlySpan<char> s)
    {
        var local = Run(s, c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '%');
        if (local == 0 || local >= s.Length || s[local] != '@')
        {
            return 0;
        }

        var d = Domain(s[(local + 1)..]);
        return d == 0 ? 0 : local + 1 + d;
    }

    /// <summary><c>scheme://rest</c> up to whitespace or a quote.</summary>
    public static int Url(ReadOnlySpan<char> s)
    {
        var scheme = Run(s, c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        if (scheme == 0 || !char.IsAsciiLetter(s[0]) || !s[scheme..].StartsWith("://", StringComparison.Ordinal))
        {
            return 0;
        }

        var rest = Run(s[(scheme + 3)..], c => c is not (' ' or '\t' or '"'));
        return rest == 0 ? 0 : scheme + 3 + rest;
    }

    /// <summary><c>ip/len</c> (CIDR).</summary>
    public static int IpNet(ReadOnlySpan<char> s)
    {
        var slash = s.IndexOf('/');
        if (slash <= 0 || Ip(s[..slash]) != slash)
        {
            return 0;
        }

        var i = slash + 1;
        return Num(s, ref i, 1, 3, out var len) && len <= 128 ? i : 0;
    }

    /// <summary>An HTTP method name (GET, POST, …).</summary>
    public static int HttpMethod(ReadOnlySpan<char> s)
    {
        foreach (var m in (ReadOnlySpan<string>)["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"])
        {
            if (s.StartsWith(m, StringComparison.Ordinal) && (s.Length == m.Length || !char.IsAsciiLetter(s[m.Length])))
            {
                return m.Length;
            }
        }

        return 0;
    }

    /// <summary>An 18-char ID card number (17 digits, then a digit or X).</summary>
    public static int IdCard(ReadOnlySpan<char> s)
    {
        if (s.Length < 18 || Run(s[..17], char.IsAsciiDigit) != 17 || !(char.IsAsciiDigit(s[17]) || s[17] is 'X' or 'x'))
        {
            return 0;
        }

        return s.Length > 18 && char.IsAsciiDigit(s[18]) ? 0 : 18;
    }

    /// <summary>An 11-digit mobile number starting with 1 (optional +86 prefix).</summary>
    public static int MobilePhone(ReadOnlySpan<char> s)
    {
        var i = s.StartsWith("+86", StringComparison.Ordinal) ? 3 : 0;
        var n = Run(s[i..], char.IsAsciiDigit);
        return n == 11 && s[i] == '1' ? i + 11 : 0;
    }

    /// <summary><c>dd/Mon/yyyy:HH:MM:SS +zzzz</c>; the offset is required; the wall clock only.</summary>
    public static int TimeClf(ReadOnlySpan<char> s, out DateTime value) => TimeClf(s, out value, out _);

    /// <summary>As <see cref="TimeClf(ReadOnlySpan{char}, out DateTime)"/>, with the offset.</summary>
    public static int TimeClf(ReadOnlySpan<char> s, out DateTime value, out TimeSpan? offset)
    {
        offset = null;
        var n = ClfTime(s, out value);
        if (n == 0)
        {
            return 0;
        }

        var off = SpacedOffset(s[n..], out offset);
        return off == 0 ? 0 : n + off;
    }

    private static int SpacedOffset(ReadOnlySpan<char> s, out TimeSpan? offset)
    {
        offset = null;
        var i = 0;
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }

        if (i == 0 || i + 5 > s.Length || (s[i] != '+' && s[i] != '-'))
        {
            return 0;
        }

        for (var k = 1; k <= 4; k++)
        {
            if (!char.IsAsciiDigit(s[i + k]))
            {
                return 0;
            }
        }

        if (i + 5 < s.Length && char.IsAsciiDigit(s[i + 5]))
        {
            return 0;
        }

        offset = Offset(s[i] == '-', ((s[i + 1] - '0') * 10) + (s[i + 2] - '0'), ((s[i + 3] - '0') * 10) + (s[i + 4] - '0'));
        return i + 5;
    }

    private static TimeSpan? Offset(bool negative, int hours, int minutes)
    {
        if (hours > 18 || minutes > 59)
        {
            return null;
        }

        var total = new TimeSpan(hours, minutes, 0);
        return negative ? -total : total;
    }

    private static int IsoTime(ReadOnlySpan<char> s, out DateTime value, out TimeSpan? offset)
    {
        value = default;
        offset = null;
        var i = 0;
        if (!Num(s, ref i, 4, 4, out var year) || !Lit(s, ref i, '-') || !Num(s, ref i, 1, 2, out var month) ||
            !Lit(s, ref i, '-') || !Num(s, ref i, 1, 2, out var day))
        {
            return 0;
        }

        if (i >= s.Length || (s[i] != ' ' && s[i] != 'T'))
        {
            return 0;
        }

        i++;
        if (!Num(s, ref i, 1, 2, out var hour) || !Lit(s, ref i, ':') || !Num(s, ref i, 1, 2, out var minute) ||
            !Lit(s, ref i, ':') || !Num(s, ref i, 1, 2, out var second))
        {
            return 0;
        }

        var ticks = Fraction(s, ref i);
        if (i < s.Length && s[i] == 'Z')
        {
            i++;
            offset = TimeSpan.Zero;
        }
        else if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            // +HH:MM or +HHMM, kept as the value's offset.
            var j = i + 1;
            if (j + 2 <= s.Length && char.IsAsciiDigit(s[j]) && char.IsAsciiDigit(s[j + 1]))
            {
                var hours = ((s[j] - '0') * 10) + (s[j + 1] - '0');
                j += 2;
                Lit(s, ref j, ':');
                if (j + 2 <= s.Length && char.IsAsciiDigit(s[j]) && char.IsAsciiDigit(s[j + 1]) &&
                    (j + 2 == s.Length || !char.IsAsciiDigit(s[j + 2])))
                {
                    offset = Offset(s[i] == '-', hours, ((s[j] - '0') * 10) + (s[j + 1] - '0'));
                    i = j + 2;
                }
            }
        }

        return Build(year, month, day, hour, minute, second, ticks, out value) ? i : 0;
    }

    private static int ClfTime(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        var i = 0;
        if (!Num(s, ref i, 1, 2, out var day) || !Lit(s, ref i, '/') || i + 3 > s.Length)
        {
            return 0;
        }

        var month = Month(s.Slice(i, 3));
        i += 3;
        if (month == 0 || !Lit(s, ref i, '/') || !Num(s, ref i, 4, 4, out var year) || !Lit(s, ref i, ':') ||
            !Num(s, ref i, 2, 2, out var hour) || !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var minute) ||
            !Lit(s, ref i, ':') || !Num(s, ref i, 2, 2, out var second))
        {
            return 0;
        }

        var ticks = Fraction(s, ref i);
        return Build(year, month, day, hour, minute, second, ticks, out value) ? i : 0;
    }

    private static long Fraction(ReadOnlySpan<char> s, ref int i)
    {
        if (i + 1 >= s.Length || s[i] != '.' || !char.IsAsciiDigit(s[i + 1]))
        {
            return 0;
        }

        i++;
        long ticks = 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (digits < 7)
            {
                ticks = (ticks * 10) + (s[i] - '0');
                digits++;
            }

            i++;
        }

        for (; digits < 7; digits++)
        {
            ticks *= 10;
        }

        return ticks;
    }

    private static int Month(ReadOnlySpan<char> m)
    {
        ReadOnlySpan<string> names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        for (var k = 0; k < names.Length; k++)
        {
            if (m.Equals(names[k], StringComparison.OrdinalIgnoreCase))
            {
                return k + 1;
            }
        }

        return 0;
    }

    private static bool Build(int year, int month, int day, int hour, int minute, int second, long ticks, out DateTime value)
    {
        value = default;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;
    }

    private static bool Num(ReadOnlySpan<char> s, ref int i, int min, int max, out int value)
    {
        value = 0;
        var start = i;
        while (i < s.Length && i - start < max && char.IsAsciiDigit(s[i]))
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        if (i - start < min || (i < s.Length && char.IsAsciiDigit(s[i])))
        {
            i = start;
            return false;
        }

        return true;
    }

    private static bool Lit(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>METHOD URI HTTP/x.y</c>. <paramref name="collapsed"/> is true when runs of spaces inside
    /// must be collapsed to build the value.
    /// </summary>
    public static int HttpRequest(ReadOnlySpan<char> s, out bool collapsed)
    {
        collapsed = false;
        var i = 0;
        while (i < s.Length && (char.IsAsciiLetterUpper(s[i]) || s[i] == '-' || s[i] == '_'))
        {
            i++;
        }

        if (i == 0 || !Spaces(s, ref i, ref collapsed))
        {
            return 0;
        }

        var uri = i;
        while (i < s.Length && s[i] != ' ' && s[i] != '\t' && s[i] != '"')
        {
            i++;
        }

        if (i == uri || !Spaces(s, ref i, ref collapsed) || !s[i..].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return 0;
        }

        i += 5;
        if (!Num(s, ref i, 1, 2, out _))
        {
            return 0;
        }

        if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            Num(s, ref i, 1, 2, out _);
        }

        return i;
    }

    private static bool Spaces(ReadOnlySpan<char> s, ref int i, ref bool collapsed)
    {
        var start = i;
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
        {
            i++;
        }

        if (i - start > 1 || (i - start == 1 && s[start] == '\t'))
        {
            collapsed = true;
        }

        return i > start && i < s.Length;
    }

    /// <summary>Builds the request value, collapsing runs of blanks to one space.</summary>
    public static Value HttpRequestValue(char[] line, int start, int length, bool collapsed)
    {
        if (!collapsed)
        {
            return Value.String(line, start, length);
        }

        var sb = new System.Text.StringBuilder(length);
        var blank = false;
        foreach (var c in line.AsSpan(start, length))
        {
            if (c is ' ' or '\t')
            {
                blank = true;
                continue;
            }

            if (blank)
            {
                sb.Append(' ');
                blank = false;
            }

            sb.Append(c);
        }

        return Value.String(sb.ToString());
    }

    /// <summary>Exactly three digits, 100–999.</summary>
    public static int HttpStatus(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        var i = 0;
        if (!Num(s, ref i, 3, 3, out var v) || v < 100)
        {
            return 0;
        }

        value = v;
        return i;
    }

    /// <summary>
    /// A user agent: starts with a product token <c>Name/…</c> (e.g. <c>Mozilla/5.0</c>, <c>curl/8.0</c>).
    /// Only the start is checked; the agent takes the rest of its scope.
    /// </summary>
    public static bool LooksLikeAgent(ReadOnlySpan<char> s)
    {
        if (s.Length < 3 || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '/')
            {
                return i + 1 < s.Length && s[i + 1] is not ' ' and not '\t';
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Index (relative to <paramref name="s"/>) of the closing <c>"</c> of a quoted string whose
    /// opening quote has already been consumed; a backslash escapes the next char. -1 if unterminated.
    /// </summary>
    public static int QuoteEnd(ReadOnlySpan<char> s, out bool hasEscapes)
    {
        hasEscapes = false;
        var i = 0;
        while (true)
        {
            var k = s[i..].IndexOfAny('"', '\\');
            if (k < 0)
            {
                return -1;
            }

            i += k;
            if (s[i] == '"')
            {
                return i;
            }

            hasEscapes = true;
            i += 2;
            if (i > s.Length)
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// Decodes JSON string escapes: <c>\n</c> <c>\t</c> <c>\r</c> <c>\b</c> <c>\f</c> and <c>\uXXXX</c>; any other
    /// escaped character stands for itself (<c>\"</c>, <c>\\</c>, <c>\/</c>). A lone trailing backslash is kept.
    /// The one decoder of json values, the <c>json_unescape</c> pipe and the <c>unquote/unescape</c> step.
    /// </summary>
    public static string UnescapeJson(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\\') < 0)
        {
            return s.ToString();
        }

        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u' when i + 4 < s.Length && ushort.TryParse(s.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes <c>\"</c> → <c>"</c> and <c>\\</c> → <c>\</c>; other backslashes are kept as written.</summary>
    public static string Unescape(ReadOnlySpan<char> s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\')
            {
                i++;
            }

            sb.Append(s[i]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Converts a whole text to a value of <paramref name="type"/> (kv/json subfields, OML casts).
    /// False when the text is not entirely a value of that type.
    /// </summary>
    public static bool TryConvert(WplType type, ReadOnlyMemory<char> text, out Value value)
    {
        var s = text.Span.Trim();
        var trimmed = text.Slice(text.Span.Length - text.Span.TrimStart().Length, s.Length);
        value = default;
        switch (type)
        {
            case WplType.Digit:
                if (Digit(s, out var l) == s.Length && s.Length > 0)
                {
                    value = Value.Int(l);
                    return true;
                }

                return false;
            case WplType.HttpStatus:
                if (HttpStatus(s, out var st) == s.Length && s.Length > 0)
                {
                    value = Value.Int(st);
                    return true;
                }

                return false;
            case WplType.Float:
                if (Float(s, out var d) == s.Length && s.Length > 0)
                {
                    value = Value.Float(d);
                    return true;
                }

                return false;
            case WplType.Bool:
                if (Bool(s, out var b) == s.Length && s.Length > 0)
                {
                    value = Value.Bool(b);
                    return true;
                }

                return false;
            case WplType.Ip:
                if (Ip(s) == s.Length && s.Length > 0)
                {
                    value = Value.Ip(trimmed);
                    return true;
                }

                return false;
            case WplType.Time:
            case WplType.TimeClf:
                var n = type == WplType.Time ? Time(s, out var t, out var offset) : TimeClf(s, out t, out offset);
                if (n == s.Length && s.Length > 0)
                {
                    value = Value.DateTime(t, offset);
                    return true;
                }

                return false;
            case WplType.Sn:
                if (Sn(s) == s.Length && s.Length > 0)
                {
                    value = Value.String(trimmed);
                    return true;
                }

                return false;
            case WplType.Ignore:
                value = Value.Ignore;
                return true;
            case WplType.TimeTimestamp:
            case WplType.Time2822:
                var m = type == WplType.TimeTimestamp ? Timestamp(s, out var ts) : Rfc2822(s, out ts);
                if (m == s.Length && s.Length > 0)
                {
                    value = Value.DateTime(ts);
                    return true;
                }

                return false;
            case WplType.Port:
                if (Digit(s, out var port) == s.Length && s.Length > 0 && port is >= 0 and <= 65535)
                {
                    value = Value.Int(port);
                    return true;
                }

                return false;
            case WplType.Auto:
                value = Auto(trimmed);
                return true;
            case WplType.Hex:
            case WplType.Base64:
                var decoded = type == WplType.Hex ? WplPreproc.DecodeHex(s) : WplPreproc.DecodeBase64(s);
                if (decoded is null)
                {
                    return false;
                }

                value = Value.String(decoded);
                return true;
            case WplType.Array:
                if (s.Length >= 2 && s[0] == '[' && s[^1] == ']')
                {
                    value = Value.String(trimmed);
                    return true;
                }

                return false;
            case WplType.Domain:
            case WplType.Email:
            case WplType.Url:
            case WplType.IpNet:
            case WplType.HttpMethod:
            case WplType.IdCard:
            case WplType.MobilePhone:
                if (s.Length > 0 && Shape(type, s) == s.Length)
                {
                    value = Value.String(trimmed);
                    return true;
                }

                return false;
            default:
                value = Value.String(text);
                return true;
        }
    }

    /// <summary>The scanner of a text-valued shape type (domain, email, url, …); chars consumed.</summary>
    public static int Shape(WplType type, ReadOnlySpan<char> s) => type switch
    {
        WplType.Domain => Domain(s),
        WplType.Email => Email(s),
        WplType.Url => Url(s),
        WplType.IpNet => IpNet(s),
        WplType.HttpMethod => HttpMethod(s),
        WplType.IdCard => IdCard(s),
        WplType.MobilePhone => MobilePhone(s),
        _ => 0,
    };

    /// <summary><c>auto</c>: an integer, float, bool, IP or time when the whole text is one, else text.</summary>
    public static Value Auto(ReadOnlyMemory<char> text)
    {
        var s = text.Span;
        if (s.Length == 0)
        {
            return Value.String(text);
        }

        if (Digit(s, out var l) == s.Length)
        {
            return Value.Int(l);
        }

        if (Float(s, out var d) == s.Length)
        {
            return Value.Float(d);
        }

        if (Bool(s, out var b) == s.Length)
        {
            return Value.Bool(b);
        }

        if (Ip(s) == s.Length)
        {
            return Value.Ip(text);
        }

        if (s.Length >= 8 && Time(s, out var t) == s.Length)
        {
            return Value.DateTime(t);
        }

        return Value.String(text);
    }
}
