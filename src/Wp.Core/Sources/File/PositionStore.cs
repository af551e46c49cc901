using Wp.Core.Rescue;

namespace Wp.Core.Sources.Files;

/// <summary>
/// The <c>pos_root</c> folder: one <c>&lt;source key&gt;.pos</c> per file source (SPEC §4.1).
/// Saves are atomic — temp file, fsync, rename, fsync of the folder — so a crash leaves the old
/// position or the new one, never a torn file.
/// </summary>
internal sealed class PositionStore
{
    public const string Extension = ".pos";

    public PositionStore(string root) => Root = root;

    public string Root { get; }

    public string PathOf(string key) => Path.Combine(Root, key + Extension);

    /// <summary>
    /// The saved position of <paramref name="key"/>: null when there is none; a file that cannot be
    /// read or parsed is reported through <paramref name="problem"/> and treated as none. Does not throw.
    /// </summary>
    public FilePosition? Load(string key, out string? problem)
    {
        problem = null;
        var path = PathOf(key);
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {path}: {ex.Message}";
            return null;
        }

        if (!FilePosition.TryParse(text, out var position, out var why))
        {
            problem = $"{path}: {why}";
            return null;
        }

        return position;
    }

    /// <summary>Writes the position atomically. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> on failure (the old file stays).</summary>
    public void Save(string key, FilePosition position)
    {
        Directory.CreateDirectory(Root);
        var path = PathOf(key);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(position.Format()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        NativeFiles.SyncFolder(Root);
    }

    /// <summary>Every position file (and leftover temp file) in the folder, for <c>wproj data clean</c>.</summary>
    public IEnumerable<string> Files() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*" + Extension).Concat(Directory.EnumerateFiles(Root, "*" + Extension + ".tmp")).Order(StringComparer.Ordinal)
            : [];
}
