using Wp.Core.Records;
using System.Buffers;

namespace Wp.Core.Generation;

/// <summary>
/// Appends one random value of a WPL type, written so that the field's matcher reads it back
/// (see <see cref="ValueScope"/>). Immutable; the randomness comes from the caller's <see cref="GenRandom"/>.
/// </summary>
internal abstract class ValueWriter
{
    public abstract void Write(GenRandom rng, TextBuffer buf);
}

/// <summary>gen_field.toml <c>choices</c>: one of the literals, already rendered for the scope.</summary>
internal sealed class ChoiceWriter(IReadOnlyList<string> rendered) : ValueWriter
{
    public int Count => rendered.Count;

    public override void Write(GenRandom rng, TextBuffer buf) => buf.Append(rendered[rng.Next(rendered.Count)]);

    /// <summary>Writes choice <paramref name="index"/> (load-time validation of each choice).</summary>
    public void Write(TextBuffer buf, int index) => buf.Append(rendered[index]);
}

/// <summary>
/// <c>chars</c>, <c>_</c> and kv values: a log-like token (<c>edge-07</c>, <c>gw-router</c>), sometimes
/// several words where blanks read back, sometimes a quoted string; or <c>prefix</c> + a random suffix.
/// Generated tokens have forbidden chars replaced; a prefixed value that cannot be plain is quoted.
/// </summary>
internal sealed class CharsWriter(ValueScope scope, bool ignore, string? prefix, bool numbers = false) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        var start = buf.Length;
        if (prefix is not null)
        {
            buf.Append(prefix);
            for (var i = 0; i < 4; i++)
            {
                buf.Append(GenText.Lower[rng.Next(GenText.Lower.Length)]);
            }

            if (!scope.IsPlain(buf.From(start)))
            {
                if (scope.CanQuote)
                {
                    buf.QuoteFrom(start);
                }
                else
                {
                    Sanitize(buf, start);
                }
            }

            return;
        }

        if (ignore && rng.Chance(60))
        {
            buf.Append('-');
        }
        else if (numbers && rng.Chance(30))
        {
            buf.Append(rng.Between(0, 99999));
        }
        else if (scope.AllowsBlanks && rng.Chance(15))
        {
            AppendPhrase(rng, buf, scope);
        }
        else if (scope.CanQuote && !scope.Enclosed && rng.Chance(3))
        {
            // The matcher also reads unenclosed text as the content of a leading quoted string.
            buf.Append('"');
            AppendPhrase(rng, buf, scope);
            buf.Append('"');
            return;
        }
        else
        {
            AppendToken(rng, buf);
        }

        Sanitize(buf, start);
    }

    public static void AppendToken(GenRandom rng, TextBuffer buf)
    {
        buf.Append(rng.Pick(GenText.Words));
        switch (rng.Next(4))
        {
            case 1:
                buf.Append('-');
                buf.Append(rng.Pick(GenText.Words));
                break;
            case 2:
                buf.Append('-');
                buf.AppendPadded(rng.Next(100), 2);
                break;
        }
    }

    private static void AppendPhrase(GenRandom rng, TextBuffer buf, ValueScope scope)
    {
        var words = 2 + rng.Next(2);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                buf.Append(rng.Chance(30) && !scope.IsForbidden(',') ? ", " : " ");
            }

            buf.Append(rng.Pick(GenText.Words));
        }
    }

    private void Sanitize(TextBuffer buf, int start) => buf.Replace(start, scope.Forbidden, scope.Filler);
}

/// <summary><c>sn</c>: <c>SN-2024-0042</c>, <c>AB12-CD34</c>, <c>DEV-77</c>; or prefix + four random chars.</summary>
internal sealed class SnWriter(ValueScope scope, string? prefix) : ValueWriter
{
    private const string Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public override void Write(GenRandom rng, TextBuffer buf)
    {
        var start = buf.Length;
        if (prefix is not null)
        {
            buf.Append(prefix);
            Random(rng, buf, Chars, 4);
        }
        else
        {
            switch (rng.Next(3))
            {
                case 0:
                    buf.Append("SN-");
                    buf.Append(2020 + rng.Next(6));
                    buf.Append('-');
                    buf.AppendPadded(rng.Next(10000), 4);
                    break;
                case 1:
                    Random(rng, buf, GenText.Upper, 2);
                    buf.AppendPadded(rng.Next(100), 2);
                    buf.Append('-');
                    Random(rng, buf, GenText.Upper, 2);
                    buf.AppendPadded(rng.Next(100), 2);
                    break;
                default:
                    Random(rng, buf, GenText.Upper, 2 + rng.Next(2));
                    buf.Append('-');
                    buf.Append(rng.Next(10000));
                    break;
            }
        }

        buf.Replace(start, scope.Forbidden, 'X');
    }

    private static void Random(GenRandom rng, TextBuffer buf, string alphabet, int count)
    {
        for (var i = 0; i < count; i++)
        {
            buf.Append(alphabet[rng.Next(alphabet.Length)]);
        }
    }
}

/// <summary><c>digit</c>: an integer in <c>[low, high]</c> (default 0–65535).</summary>
internal sealed class DigitWriter(long low, long high) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf) => buf.Append(rng.Between(low, high));
}

/// <summary><c>float</c>: a number in <c>[low, high]</c> (default 0–1000), two decimals when that stays in range.</summary>
internal sealed class FloatWriter(double low, double high) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        var x = low + ((high - low) * rng.NextDouble());
        var rounded = Math.Round(x, 2);
        buf.Append(rounded >= low && rounded <= high ? rounded : x);
    }
}

internal sealed class BoolWriter : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf) => buf.Append(rng.Chance(50) ? "true" : "false");
}

/// <summary><c>http/status</c>: a common status (mostly 200), or an integer in a range.</summary>
internal sealed class HttpStatusWriter(long? low, long? high) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf) =>
        buf.Append(low is { } lo && high is { } hi ? rng.Between(lo, hi) : rng.Pick(GenText.Statuses));
}

/// <summary><c>ip</c>: IPv4 (private and public ranges), one in ten IPv6 where allowed; or IPv4 in a range.</summary>
internal sealed class IpWriter(bool allowV6, uint? low = null, uint? high = null) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        if (low is { } lo && high is { } hi)
        {
            AppendV4(buf, (uint)rng.Between(lo, hi));
            return;
        }

        if (allowV6 && rng.Chance(10))
        {
            AppendV6(rng, buf);
            return;
        }

        var (a, b) = rng.Next(4) switch
        {
            0 => (10, rng.Next(256)),
            1 => (172, 16 + rng.Next(16)),
            2 => (192, 168),
            _ => (1 + rng.Next(223), rng.Next(256)),
        };
        if (a == 127)
        {
            a = 128;
        }

        AppendV4(buf, (uint)((a << 24) | (b << 16) | (rng.Next(256) << 8) | (1 + rng.Next(254))));
    }

    public static void AppendV4(TextBuffer buf, uint ip)
    {
        buf.Append(ip >> 24);
        buf.Append('.');
        buf.Append((ip >> 16) & 0xFF);
        buf.Append('.');
        buf.Append((ip >> 8) & 0xFF);
        buf.Append('.');
        buf.Append(ip & 0xFF);
    }

    private static void AppendV6(GenRandom rng, TextBuffer buf)
    {
        if (rng.Chance(50))
        {
            buf.Append("2001:db8:");
            Group(rng, buf);
            buf.Append(':');
            Group(rng, buf);
            buf.Append("::");
            Group(rng, buf);
        }
        else
        {
            buf.Append("fe80::");
            for (var i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    buf.Append(':');
                }

                Group(rng, buf);
            }
        }
    }

    private static void Group(GenRandom rng, TextBuffer buf)
    {
        var digits = 1 + rng.Next(4);
        buf.Append(GenText.Hex[1 + rng.Next(15)]);
        for (var i = 1; i < digits; i++)
        {
            buf.Append(GenText.Hex[rng.Next(16)]);
        }
    }
}

/// <summary>
/// <c>time</c> (<c>2024-05-01 10:02:03</c>) or <c>time/clf</c> (<c>01/May/2024:10:02:03 +0800</c>): a
/// whole second in <c>[low, high]</c>; default all of 2024.
/// </summary>
internal sealed class TimeWriter(DateTime low, DateTime high, bool clf) : ValueWriter
{
    public static readonly DateTime DefaultLow = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static readonly DateTime DefaultHigh = new(2024, 12, 31, 23, 59, 59, DateTimeKind.Unspecified);

    private readonly long _seconds = (long)(high - low).TotalSeconds;

    public override void Write(GenRandom rng, TextBuffer buf)
    {
        var t = low.AddSeconds(rng.Between(0, _seconds));
        if (clf)
        {
            buf.AppendPadded(t.Day, 2);
            buf.Append('/');
            buf.Append(GenText.Months[t.Month - 1]);
            buf.Append('/');
            buf.AppendPadded(t.Year, 4);
            buf.Append(':');
        }
        else
        {
            buf.AppendPadded(t.Year, 4);
            buf.Append('-');
            buf.AppendPadded(t.Month, 2);
            buf.Append('-');
            buf.AppendPadded(t.Day, 2);
            buf.Append(' ');
        }

        buf.AppendPadded(t.Hour, 2);
        buf.Append(':');
        buf.AppendPadded(t.Minute, 2);
        buf.Append(':');
        buf.AppendPadded(t.Second, 2);
        if (clf)
        {
            buf.Append(' ');
            buf.Append(rng.Pick(GenText.ClfOffsets));
        }
    }
}

/// <summary><c>http/request</c>: <c>GET /api/v1/login?id=42 HTTP/1.1</c>.</summary>
internal sealed class HttpRequestWriter : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        buf.Append(rng.Pick(GenText.Methods));
        buf.Append(' ');
        var parts = 1 + rng.Next(3);
        for (var i = 0; i < parts; i++)
        {
            buf.Append('/');
            buf.Append(rng.Pick(GenText.PathParts));
        }

        if (rng.Chance(30))
        {
            buf.Append("?id=");
            buf.Append(rng.Next(10000));
        }

        buf.Append(' ');
        buf.Append(rng.Pick(GenText.HttpVersions));
    }
}

/// <summary><c>http/agent</c>: a browser, curl or wget user agent.</summary>
internal sealed class HttpAgentWriter : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf) => buf.Append(rng.Pick(GenText.Agents));
}

/// <summary><c>symbol(TEXT)</c>: the literal.</summary>
internal sealed class SymbolWriter(string text) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf) => buf.Append(text);
}

/// <summary><c>kv</c>: <c>key=value</c>; the key is the field's name when it is a valid key, else a random one.</summary>
internal sealed class KvWriter(string? key, ValueWriter value) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        buf.Append(key ?? rng.Pick(GenText.Keys));
        buf.Append('=');
        value.Write(rng, buf);
    }
}

/// <summary>One <c>key=value</c> of a pair list or one member of a JSON object.</summary>
internal sealed record GenEntry(string Key, ValueWriter Value, bool Bare);

/// <summary>
/// <c>kvarr</c> and <c>kv(T@key, ...)</c>: the listed keys with typed values, plus up to
/// <paramref name="maxExtras"/> random pairs (which the matcher keeps for kvarr and skips for kv).
/// A value that would not read back as one token is quoted.
/// </summary>
internal sealed class PairsWriter(IReadOnlyList<GenEntry> entries, int minExtras, int maxExtras, char gap, char? separator, string? end)
    : ValueWriter
{
    private static readonly SearchValues<char> Gaps = SearchValues.Create(" \t,;");

    private readonly HashSet<string> _listed = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

    public override void Write(GenRandom rng, TextBuffer buf)
    {
        var first = true;
        foreach (var entry in entries)
        {
            Pair(rng, buf, entry.Key, entry.Value, ref first);
        }

        var extras = minExtras + rng.Next(maxExtras - minExtras + 1);
        Span<int> used = stackalloc int[Math.Max(extras, 1)];
        for (var i = 0; i < extras; i++)
        {
            var k = rng.Next(GenText.Keys.Length);
            if (_listed.Contains(GenText.Keys[k]) || used[..i].Contains(k))
            {
                used[i] = -1;
                continue;
            }

            used[i] = k;
            Pair(rng, buf, GenText.Keys[k], null, ref first);
        }
    }

    private void Pair(GenRandom rng, TextBuffer buf, string key, ValueWriter? value, ref bool first)
    {
        if (!first)
        {
            buf.Append(gap);
        }

        first = false;
        buf.Append(key);
        buf.Append('=');
        var start = buf.Length;
        if (value is null)
        {
            if (rng.Chance(40))
            {
                buf.Append(rng.Between(0, 99999));
            }
            else
            {
                CharsWriter.AppendToken(rng, buf);
            }
        }
        else
        {
            value.Write(rng, buf);
        }

        if (!IsPlain(buf.From(start)))
        {
            buf.QuoteFrom(start);
        }
    }

    private bool IsPlain(ReadOnlySpan<char> v) =>
        v.Length > 0 && v[0] != '"' && !v.ContainsAny(Gaps) && !(separator is { } c && v.Contains(c)) &&
        !(end is not null && v.Contains(end, StringComparison.Ordinal));
}

/// <summary><c>json</c>: a small flat object, <c>{"key":value,...}</c>; the listed keys (subfields) or 2–4 random members.</summary>
internal sealed class JsonWriter(IReadOnlyList<GenEntry> entries) : ValueWriter
{
    public override void Write(GenRandom rng, TextBuffer buf)
    {
        buf.Append('{');
        if (entries.Count > 0)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                Member(buf, entries[i].Key, i);
                var start = buf.Length;
                entries[i].Value.Write(rng, buf);
                if (!entries[i].Bare)
                {
                    buf.JsonQuoteFrom(start);
                }
            }
        }
        else
        {
            var members = 2 + rng.Next(3);
            var offset = rng.Next(GenText.Keys.Length);
            for (var i = 0; i < members; i++)
            {
                Member(buf, GenText.Keys[(offset + i) % GenText.Keys.Length], i);
                switch (rng.Next(4))
                {
                    case 0:
                        buf.Append(rng.Between(0, 99999));
                        break;
                    case 1:
                        buf.Append(Math.Round(rng.NextDouble() * 100, 2));
                        break;
                    case 2:
                        buf.Append(rng.Chance(50) ? "true" : "false");
                        break;
                    default:
                        buf.Append('"');
                        CharsWriter.AppendToken(rng, buf);
                        buf.Append('"');
                        break;
                }
            }
        }

        buf.Append('}');
    }

    private static void Member(TextBuffer buf, string key, int index)
    {
        if (index > 0)
        {
            buf.Append(',');
        }

        buf.Append('"');
        buf.Append(key);
        buf.Append("\":");
    }
}
