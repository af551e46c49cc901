using System.Globalization;

namespace Wp.Core.Rescue;

/// <summary>
/// The name of a rescue file (SPEC §8.2): <c>&lt;sink&gt;-&lt;yyyy-MM-dd_HH:mm:ss&gt;[-&lt;seq&gt;].dat[.lock]</c>,
/// UTC to the second. On Windows, where <c>:</c> is illegal, the time is written <c>HH-mm-ss</c>;
/// <see cref="TryParse"/> accepts both forms on every platform.
/// </summary>
/// <remarks>
/// Sink names match <c>[A-Za-z0-9_.]+</c> and so never contain <c>-</c>: the first <c>-</c> ends the
/// sink name, the next 19 characters are the time, and anything left must be <c>-&lt;seq&gt;</c>.
/// </remarks>
internal readonly record struct RescueFileName
{
    public const string SealedSuffix = ".dat";
    public const string OpenSuffix = ".dat.lock";

    private const int TimeLength = 19; // yyyy-MM-dd_HH:mm:ss
    private const string UnixTimeFormat = "yyyy-MM-dd_HH:mm:ss";
    private const string WindowsTimeFormat = "yyyy-MM-dd_HH-mm-ss";

    /// <summary>Creates a name; <paramref name="timeUtc"/> is truncated to whole seconds.</summary>
    /// <exception cref="ArgumentException">The sink name is not <c>[A-Za-z0-9_.]+</c> or <paramref name="seq"/> is negative.</exception>
    public RescueFileName(string sinkName, DateTime timeUtc, int seq = 0, bool isSealed = false)
    {
        if (!IsValidSinkName(sinkName))
        {
            throw new ArgumentException($"invalid sink name '{sinkName}': expected [A-Za-z0-9_.]+", nameof(sinkName));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        SinkName = sinkName;
        TimeUtc = new DateTime(timeUtc.Ticks - (timeUtc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        Seq = seq;
        Sealed = isSealed;
    }

    public string SinkName { get; }

    /// <summary>Creation time, UTC, whole seconds.</summary>
    public DateTime TimeUtc { get; }

    /// <summary>Disambiguates files of one sink created in the same second; 0 = none written.</summary>
    public int Seq { get; }

    /// <summary>True for <c>.dat</c> (sealed, replayable); false for <c>.dat.lock</c> (open).</summary>
    public bool Sealed { get; }

    /// <summary>Orders by time, then seq, then sink name (ordinal) — the picker's order (SPEC §9.3).</summary>
    public static IComparer<RescueFileName> ByTimeThenSeq { get; } = Comparer<RescueFileName>.Create(Compare);

    /// <summary>The same file after sealing (<c>.dat</c>).</summary>
    public RescueFileName AsSealed() => new(SinkName, TimeUtc, Seq, isSealed: true);

    /// <summary>The same file while open (<c>.dat.lock</c>).</summary>
    public RescueFileName AsOpen() => new(SinkName, TimeUtc, Seq, isSealed: false);

    /// <summary>The same name with another sequence number.</summary>
    public RescueFileName WithSeq(int seq) => new(SinkName, TimeUtc, seq, Sealed);

    /// <summary>The file name in this platform's form (<c>HH:mm:ss</c>, or <c>HH-mm-ss</c> on Windows).</summary>
    public override string ToString() => Format(OperatingSystem.IsWindows());

    /// <summary>The file name in the Windows (<c>HH-mm-ss</c>) or Unix (<c>HH:mm:ss</c>) form.</summary>
    public string Format(bool windowsForm)
    {
        var time = TimeUtc.ToString(windowsForm ? WindowsTimeFormat : UnixTimeFormat, CultureInfo.InvariantCulture);
        var seq = Seq == 0 ? string.Empty : "-" + Seq.ToString(CultureInfo.InvariantCulture);
        return string.Concat(SinkName, "-", time, seq, Sealed ? SealedSuffix : OpenSuffix);
    }

    /// <summary>
    /// Parses a bare file name (no folder). Accepts both time forms; rejects anything else,
    /// including <c>recover.lock</c>, a seq of 0 or with leading zeros, and impossible dates.
    /// Does not throw.
    /// </summary>
    public static bool TryParse(string? fileName, out RescueFileName name)
    {
        name = default;
        if (fileName is null)
        {
            return false;
        }

        var span = fileName.AsSpan();
        bool isSealed;
        if (span.EndsWith(OpenSuffix, StringComparison.Ordinal))
        {
            isSealed = false;
            span = span[..^OpenSuffix.Length];
        }
        else if (span.EndsWith(SealedSuffix, StringComparison.Ordinal))
        {
            isSealed = true;
            span = span[..^SealedSuffix.Length];
        }
        else
        {
            return false;
        }

        var dash = span.IndexOf('-');
        if (dash <= 0 || span.Length < dash + 1 + TimeLength)
        {
            return false;
        }

        var sink = span[..dash];
        if (!IsValidSinkName(sink))
        {
            return false;
        }

        var timeText = span.Slice(dash + 1, TimeLength);
        var format = timeText[13] == ':' ? UnixTimeFormat : WindowsTimeFormat;
        if (!DateTime.TryParseExact(
                timeText,
                format,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
        {
            return false;
        }

        var rest = span[(dash + 1 + TimeLength)..];
        var seq = 0;
        if (!rest.IsEmpty)
        {
            // "-<seq>": digits only, no sign, no leading zero, so every name has one spelling.
            var digits = rest[1..];
            if (rest[0] != '-' || digits.IsEmpty || digits[0] == '0' || digits.Length > 9)
            {
                return false;
            }

            foreach (var c in digits)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                seq = (seq * 10) + (c - '0');
            }
        }

        name = new RescueFileName(sink.ToString(), time, seq, isSealed);
        return true;
    }

    /// <summary>True when <paramref name="sinkName"/> matches <c>[A-Za-z0-9_.]+</c> (SPEC §6.2).</summary>
    public static bool IsValidSinkName(ReadOnlySpan<char> sinkName)
    {
        if (sinkName.IsEmpty)
        {
            return false;
        }

        foreach (var c in sinkName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static int Compare(RescueFileName x, RescueFileName y)
    {
        var byTime = x.TimeUtc.CompareTo(y.TimeUtc);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySeq = x.Seq.CompareTo(y.Seq);
        return bySeq != 0 ? bySeq : string.CompareOrdinal(x.SinkName, y.SinkName);
    }
}
