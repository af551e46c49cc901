using System.Globalization;
using Wp.Core.Config;

namespace Wp.Core.Sinks.TestRescue;

/// <summary>
/// The availability cycle of a test_rescue sink (docs/configuration.md): up for <see cref="UpMs"/>, then down
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
    /// The schedule of a sink configured with <paramref name="upMs"/> / <paramref name="downMs"/>
    /// (validated at load); the environment variables <c>WP_TEST_RESCUE_UP_MS</c> /
    /// <c>WP_TEST_RESCUE_DOWN_MS</c> win over them.
    /// </summary>
    /// <param name="getEnvironmentVariable">Environment lookup; defaults to the process environment.</param>
    /// <exception cref="ConfigException">An environment value is not a whole number of milliseconds >= 0, or both phases end up 0.</exception>
    public static TestRescueSchedule From(long upMs, long downMs, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var up = FromEnvironment(UpEnvironmentVariable, getEnvironmentVariable) ?? upMs;
        var down = FromEnvironment(DownEnvironmentVariable, getEnvironmentVariable) ?? downMs;
        if (up + down == 0)
        {
            throw new ConfigException(UpEnvironmentVariable, "test_rescue: up_ms and down_ms cannot both be 0");
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

    private static long? FromEnvironment(string variable, Func<string, string?> getEnvironmentVariable)
    {
        var fromEnvironment = getEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return null;
        }

        return long.TryParse(fromEnvironment.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConfigException(variable, $"environment variable {variable}='{fromEnvironment}' is not a whole number of milliseconds >= 0");
    }
}
