using System.Runtime.CompilerServices;
using Wp.Core.Config;

namespace Wp.Core.Tests.Support;

/// <summary>
/// A temporary work root named after the calling test (so a leftover folder says who made it),
/// with helpers to write and read files by work-root-relative path. Deleted on Dispose.
/// </summary>
internal sealed class TempWorkRoot : IDisposable
{
    private TempWorkRoot(string path)
    {
        FullPath = path;
        Directory.CreateDirectory(path);

        // The WPL folder is required (no rules folder = every line missed: a config error); an empty one
        // is the least that loads. Tests about a missing folder delete it.
        Directory.CreateDirectory(Path.Combine(path, "models", "wpl"));
    }

    /// <summary>Absolute path of the folder.</summary>
    public string FullPath { get; }

    public WorkRoot WorkRoot => new(FullPath);

    /// <summary>Creates <c>$TMP/wp-tests/&lt;TestClass&gt;.&lt;TestMethod&gt;-&lt;random&gt;</c>.</summary>
    public static TempWorkRoot Create([CallerMemberName] string caller = "", [CallerFilePath] string callerFile = "")
    {
        var owner = Path.GetFileNameWithoutExtension(callerFile);
        var name = $"{owner}.{caller}-{Guid.NewGuid().ToString("N")[..8]}";
        return new TempWorkRoot(Path.Combine(Path.GetTempPath(), "wp-tests", name));
    }

    /// <summary>Absolute path of a work-root-relative path ('/' separators accepted).</summary>
    public string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(FullPath, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Writes (or overwrites) a file, creating its folders. Returns this for chaining.</summary>
    public TempWorkRoot Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    /// <summary>Deletes a file if it exists. Returns this for chaining.</summary>
    public TempWorkRoot Delete(string relativePath)
    {
        File.Delete(PathOf(relativePath));
        return this;
    }

    public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath)) || Directory.Exists(PathOf(relativePath));

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still held open must not fail the test that owned it.
        }
    }

    public override string ToString() => FullPath;
}
