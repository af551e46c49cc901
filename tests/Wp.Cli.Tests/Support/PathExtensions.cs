using System.Text;

namespace Wp.Cli.Tests.Support;

internal static class PathExtensions
{
    /// <summary>Creates the file's folder and returns the path, for writing test input in one line.</summary>
    public static string EnsureFolder(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>The file's text, read without disturbing a tool still writing it; empty when it does not exist.</summary>
    public static string ReadShared(this string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }
}
