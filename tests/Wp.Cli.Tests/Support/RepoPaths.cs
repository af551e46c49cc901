namespace Wp.Cli.Tests.Support;

/// <summary>Where the repository, the published tools and the usecases are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The published tools: <c>$WP_BIN</c> (set by build.sh test) or <c>dist/bin</c>.</summary>
    public static string Bin => Environment.GetEnvironmentVariable("WP_BIN") is { Length: > 0 } bin ? bin : Path.Combine(Root, "dist", "bin");

    public static string Usecase(string name) => Path.Combine(Root, "usecase", "core", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Wp.sln not found above " + AppContext.BaseDirectory);
    }
}
