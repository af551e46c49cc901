using System.Runtime.CompilerServices;

namespace Wp.Core.Tests.Sinks;

/// <summary>A fresh temp folder named after the calling test, deleted on dispose.</summary>
internal sealed class SinkTestFolder : IDisposable
{
    public SinkTestFolder([CallerMemberName] string test = "")
    {
        Root = Path.Combine(Path.GetTempPath(), "wp-tests", test + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
