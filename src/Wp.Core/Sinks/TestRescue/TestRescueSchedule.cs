using System.Globalization;
using Wp.Core.Config;

namespace Wp.Core.Sinks.TestRescue;

/// <summary>
/// The availability cycle of a test_rescue sink (SPEC §7.3): up for <see cref="UpMs"/>, then down
/// for <see cref="DownMs"/>, forever, starting up. <c>DownMs = 0</c> is always up; <c>UpMs = 0</c> is
/// always down.
/// </summary>
internal readonly record struct TestRescueSchedule
{
    public const string UpEnvironmentVariable = "WP_TEST_RESCUE_UP_MS";
    public const string DownEnvironmentVariable = "WP_TEST_RESCUE_DOWN_MS";
    public const long DefaultUpMs = 2000;
    public const long DefaultDownMs = 2000;

    /// <exception cref="ArgumentOutOfRangeException">A phase is negative, or both are zero.</exception>
    public TestRescueSchedule(long upMs, long downMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(upMs);
        ArgumentOutOfRangeException.ThrowIfNegative(downMs);
        if (upMs + downMs == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(downMs), "up_ms and down_ms cannot both be 0");
        }

        UpMs = upMs;
        DownMs = downMs;
    }

    public long UpMs { get; }

    public long DownMs { get; }

    /// <summary>
    /// Reads <c>up_ms</c> / <c>down_ms</c> from the sink's params (defaults 2000 / 2000); the
    /// environment variables <c>WP_TEST_RESCUE_UP_MS</c> / <c>WP_TEST_RESCUE_DOWN_MS</c> win over them.
    /// </summary>
    /// <param name="parameters">The sink's merged params.</param>
    /// <param name="source">Where the params came from, for error messages (e.g. the group file).</param>
    /// <param name="getEnvironmentVariable">Environment lookup; defaults to the process environment.</param>
    /// <exception cref="ConfigException">A value is not a non-negative whole number of milliseconds.</exception>
    public static TestRescueSchedule From(
        IReadOnlyDictionary<string, object> parameters,
        string source = "test_rescue params",
        Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var up = Read(parameters, "up_ms", UpEnvironmentVariable, DefaultUpMs, source, getEnvironmentVariable);
        var down = Read(parameters, "down_ms", DownEnvironmentVariable, DefaultDownMs, source, getEnvironmentVariable);
        if (up + down == 0)
        {
            throw new ConfigException(source, "test_rescue: up_ms and down_ms cannot both be 0");
        }

        return new TestRescueSchedule(up, down);
    }

    /// <summary>Where in the cycle <paramref name="elapsed"/> (since the backend started) falls.</summary>
    /// <param name="elapsed">Time since the start of the first up phase.</param>
    /// <param name="cycle">0-based number of the up/down cycle.</param>
    /// <param name="remaining">Time left in the current phase.</param>
    public bool IsUpAt(TimeSpan elapsed, out long cycle, out TimeSpan remaining)
    {
        var ms = (long)elapsed.TotalMilliseconds;
        var period = UpMs + DownMs;
        cycle = ms / period;
        var position = ms % period;
        if (position < UpMs)
        {
            remaining = TimeSpan.FromMilliseconds(UpMs - position);
            return true;
        }

        remaining = TimeSpan.FromMilliseconds(period - position);
        return false;
    }

    private static long Read(
        IReadOnlyDictionary<string, object> parameters,
        string key,
        string variable,
        long fallback,
        string source,
        Func<string, string?> getEnvironmentVariable)
    {
        var fromEnvironment = getEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return long.TryParse(fromEnvironment.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var envValue)
                ? envValue
                : throw new ConfigException(variable, $"environment variable {variable}='{fromEnvironment}' is not a whole number of milliseconds >= 0");
        }

        if (!parameters.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        long? value = raw switch
        {
            long l => l,
            int i => i,
            double d when d == Math.Floor(d) && d is >= 0 and <= long.MaxValue => (long)d,
            string s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        return value is >= 0
            ? value.Value
            : throw new ConfigException(source, $"test_rescue param {key} = {raw} is not a whole number of milliseconds >= 0");
    }
}
