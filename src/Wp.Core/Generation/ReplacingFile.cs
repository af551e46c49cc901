namespace Wp.Core.Generation;

/// <summary>
/// Generator output written beside the target under a temp name and renamed over it when done
/// (SPEC §4.1): a regenerated input is a new file (new inode), so a file source's saved position
/// never applies to it, and a reader never sees a half-written file at the path.
/// </summary>
internal sealed class ReplacingFile : IAsyncDisposable
{
    private readonly string _target;
    private readonly string _temp;
    private bool _committed;

    public ReplacingFile(string target)
    {
        _target = target;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        _temp = $"{target}.{Environment.ProcessId}.tmp";
        Stream = new FileStream(_temp, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    /// <summary>The temp file's stream; wrap it in a writer and dispose the writer before <see cref="Commit"/>.</summary>
    public FileStream Stream { get; }

    /// <summary>Flushes the temp file and renames it over the target.</summary>
    public void Commit()
    {
        Stream.Dispose();
        File.Move(_temp, _target, overwrite: true);
        _committed = true;
    }

    /// <summary>Removes the temp file when <see cref="Commit"/> was not reached.</summary>
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (!_committed)
        {
            try
            {
                File.Delete(_temp);
            }
            catch (IOException)
            {
            }
        }
    }
}
