namespace Wp.Cli.Tests.Support;

/// <summary>Names the temp folders of e2e tests: readable (the test's name, cut short) and unique (a random suffix
/// that a long name can never cut off, so concurrent runs and theory cases never share a folder).</summary>
internal static class E2eFolder
{
    private const int MaxNameLength = 60;

    public static string For(string test) =>
        Path.Combine(Path.GetTempPath(), "wp-e2e", $"{test[..Math.Min(test.Length, MaxNameLength)]}-{Guid.NewGuid():N}"[..(Math.Min(test.Length, MaxNameLength) + 9)]);
}
