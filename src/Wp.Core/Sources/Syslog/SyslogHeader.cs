using System.Globalization;
using Wp.Core.Records;

namespace Wp.Core.Sources.Syslog;

/// <summary>What a syslog source does with a message's header (docs/sources.md <c>header_mode</c>).</summary>
internal enum HeaderMode
{
    /// <summary>Read the header into <c>syslog_*</c> fields; the rules see the body.</summary>
    Parse,

    /// <summary>Drop the header; the rules see the body, no fields are added.</summary>
    Strip,

    /// <summary>Pass the whole message.</summary>
    Keep,
}

/// <summary>
/// Reads an RFC 5424 or RFC 3164 syslog header. <see cref="TryParse"/> never throws: a message
/// whose header does not parse is passed whole by the caller.
/// </summary>
internal static class SyslogHeader
{
    public const string Pri = "syslog_pri";
    public const string Facility = "syslog_facility";
    public const string Severity = "syslog_severity";
    public const string Time = "syslog_time";
    public const string Host = "syslog_host";
    public const string App = "syslog_app";
    public const string ProcId = "syslog_procid";
    public const string MsgId = "syslog_msgid";

    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>
    /// Splits <paramref name="message"/> into header fields and body. Returns false (and the caller
    /// passes the message whole) when it does not start with a well-formed RFC 5424 or 3164 header.
    /// <paramref name="now"/> gives RFC 3164 timestamps, which have no year, their year.
    /// Nil values (<c>-</c>) give no field. <c>syslog_time</c> of an RFC 5424 header is converted to UTC;
    /// an RFC 3164 time is kept as written (it has no zone).
    /// </summary>
    public static bool TryParse(string message, DateTime now, out Field[] fields, out string body)
    {
        fields = [];
        body = message;
        var s = message.AsSpan();
        if (!TryPri(s, out var pri, out var pos))
        {
            return false;
        }

        var list = new List<Field>(9)
        {
            new(Pri, Value.Int(pri)),
            new(Facility, Value.Int(pri / 8)),
            new(Severity, Value.Int(pri % 8)),
        };
        var ok = pos + 1 < s.Length && s[pos] is >= '1' and <= '9' && s[pos + 1] == ' '
            ? TryRfc5424(message, pos + 2, list, out body)
            : TryRfc3164(message, pos, now, list, out body);
        if (!ok)
        {
            body = message;
            return false;
        }

        fields = [.. list];
        return true;
    }

    private static bool TryPri(ReadOnlySpan<char> s, out int pri, out int next)
    {
        pri = 0;
        next = 0;
        if (s.Length < 3 || s[0] != '<')
        {
            return false;
        }

        var i = 1;
        while (i < s.Length && i <= 4 && char.IsAsciiDigit(s[i]))
        {
            pri = (pri * 10) + (s[i] - '0');
            i++;
        }

        if (i == 1 || i > 4 || i >= s.Length || s[i] != '>' || pri > 191)
        {
            return false;
        }

        next = i + 1;
        return true;
    }

    /// <summary><c>TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]</c> after <c>&lt;PRI&gt;1 </c>.</summary>
    private static bool TryRfc5424(string m, int pos, List<Field> fields, out string body)
    {
        body = m;
        string?[] parts = new string?[5];
        for (var p = 0; p < parts.Length; p++)
        {
            var end = m.IndexOf(' ', pos);
            if (end <= pos)
            {
                return false;
            }

            parts[p] = m[pos..end];
            pos = end + 1;
        }

        if (parts[0] != "-")
        {
            if (!DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return false;
            }

            fields.Add(new Field(Time, Value.DateTime(time.UtcDateTime)));
        }

        AddText(fields, Host, parts[1]!);
        AddText(fields, App, parts[2]!);
        AddText(fields, ProcId, parts[3]!);
        AddText(fields, MsgId, parts[4]!);

        // STRUCTURED-DATA: "-" or one or more [id param="value"...] elements (']' inside values is escaped as \]).
        if (pos >= m.Length)
        {
            return false;
        }

        if (m[pos] == '-')
        {
            pos++;
        }
        else
        {
            if (m[pos] != '[')
            {
                return false;
            }

            while (pos < m.Length && m[pos] == '[')
            {
                var i = pos + 1;
                while (i < m.Length && m[i] != ']')
                {
                    i += m[i] == '\\' ? 2 : 1;
                }

                if (i >= m.Length)
                {
                    return false;
                }

                pos = i + 1;
            }
        }

        if (pos < m.Length && m[pos] != ' ')
        {
            return false;
        }

        body = pos + 1 < m.Length ? m[(pos + 1)..].TrimStart('\uFEFF') : string.Empty;
        return true;
    }

    /// <summary><c>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG</c> after <c>&lt;PRI&gt;</c>.</summary>
    private static bool TryRfc3164(string m, int pos, DateTime now, List<Field> fields, out string body)
    {
        body = m;
        var s = m.AsSpan();
        // "Mmm dd hh:mm:ss " is 16 characters; the day may be space-padded ("Jan  5").
        if (s.Length < pos + 16 || s[pos + 3] != ' ' || s[pos + 6] != ' ' || s[pos + 9] != ':' || s[pos + 12] != ':' || s[pos + 15] != ' ')
        {
            return false;
        }

        var month = Array.IndexOf(s_months, m.Substring(pos, 3)) + 1;
        if (month == 0
            || !int.TryParse(s.Slice(pos + 4, 2).Trim(' '), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(s.Slice(pos + 7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(s.Slice(pos + 10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || !int.TryParse(s.Slice(pos + 13, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            || hour > 23 || minute > 59 || second > 60 || day < 1 || day > DateTime.DaysInMonth(now.Year, month))
        {
            return false;
        }

        var year = now.Year;
        var time = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        if (time > now.AddDays(1) && day <= DateTime.DaysInMonth(year - 1, month))
        {
            // A December message read in January belongs to last year.
            time = time.AddYears(-1);
        }

        fields.Add(new Field(Time, Value.DateTime(time)));
        pos += 16;
        var hostEnd = m.IndexOf(' ', pos);
        if (hostEnd <= pos)
        {
            return false;
        }

        AddText(fields, Host, m[pos..hostEnd]);
        pos = hostEnd + 1;

        // TAG: up to 48 characters ended by '[' (PID follows) or ':'; without one the rest is all body.
        var i = pos;
        while (i < m.Length && i - pos <= 48 && m[i] is not (' ' or '[' or ':'))
        {
            i++;
        }

        if (i > pos && i < m.Length && m[i] is '[' or ':')
        {
            var app = m[pos..i];
            if (m[i] == '[')
            {
                var close = m.IndexOf(']', i);
                if (close < 0)
                {
                    return false;
                }

                AddText(fields, ProcId, m[(i + 1)..close]);
                i = close + 1;
            }

            if (i < m.Length && m[i] == ':')
            {
                i++;
            }

            fields.Insert(fields.Count - (fields[^1].Name == ProcId ? 1 : 0), new Field(App, Value.String(app)));
            pos = i < m.Length && m[i] == ' ' ? i + 1 : i;
        }

        body = pos < m.Length ? m[pos..] : string.Empty;
        return true;
    }

    private static void AddText(List<Field> fields, string name, string value)
    {
        if (value != "-" && value.Length > 0)
        {
            fields.Add(new Field(name, Value.String(value)));
        }
    }
}
