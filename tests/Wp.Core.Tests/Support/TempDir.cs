using System.Runtime.CompilerServices;

namespace Wp.Core.Tests.Support;

/// <summary>A fresh folder under the system temp folder, named after the calling test; deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir([CallerMemberName] string caller = "test")
    {
        Path = System.IO.Path.Combine(
            System.IO.Path.GetTempPath(),
            "wp-tests",
            $"{caller}-{Guid.NewGuid():N}"[..Math.Min(caller.Length + 9, 80)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Bare names of the files in the folder (or a sub-folder), sorted ordinally.</summary>
    public string[] FileNames(string? sub = null)
    {
        var dir = sub is null ? Path : Combine(sub);
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir).Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed may still hold a file; leave the folder behind rather than mask the failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
