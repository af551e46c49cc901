namespace Wp.Cli.Tests.Support;

internal static class PathExtensions
{
    /// <summary>Creates the file's folder and returns the path, for writing test input in one line.</summary>
    public static string EnsureFolder(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
