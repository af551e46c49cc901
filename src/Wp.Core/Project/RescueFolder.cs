using Wp.Core.Expect;
using Wp.Core.Rescue;

namespace Wp.Core.Project;

/// <summary>Where a rescue file stands (SPEC §8.2, §9.3, §9.7).</summary>
internal enum RescueFileState
{
    /// <summary><c>.dat</c>: sealed, waiting for wprescue.</summary>
    Sealed,

    /// <summary><c>.dat.lock</c> held by a live writer (wparse is diverting into it).</summary>
    Open,

    /// <summary><c>.dat.lock</c> that nobody holds: its writer died; wprescue adopts it at start.</summary>
    Orphaned,

    /// <summary>The name does not parse, or names a sink that is not configured: wprescue skips it.</summary>
    Unroutable,
}

/// <summary>One file of rescue_root as <c>wproj rescue stat</c> reports it.</summary>
/// <param name="Name">The parsed name; null when it does not parse.</param>
/// <param name="Lines">Null while a live writer holds the file (it cannot be read then).</param>
/// <param name="Reason">Why the file is unroutable; null otherwise.</param>
internal sealed record RescueFileEntry(string Path, RescueFileState State, RescueFileName? Name, long Bytes, long? Lines, string? Reason)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>Reads rescue_root: the rescue files (<c>*.dat</c>, <c>*.dat.lock</c>) and the recovery checkpoint.</summary>
internal static class RescueFolder
{
    /// <summary>The recovery checkpoint wprescue writes in rescue_root (SPEC §9.4).</summary>
    public const string CheckpointFileName = Recovery.CheckpointStore.FileName;

    /// <summary>The quarantine folder for bad entries (SPEC §9.5).</summary>
    public const string BadFolderName = Recovery.BadLineQuarantine.FolderName;

    /// <summary>Rescue data files directly in <paramref name="rescueRoot"/> (<c>*.dat</c> and <c>*.dat.lock</c>), ordinal order. Missing folder: none.</summary>
    public static IReadOnlyList<string> DataFiles(string rescueRoot)
    {
        if (!Directory.Exists(rescueRoot))
        {
            return [];
        }

        return Directory.EnumerateFiles(rescueRoot)
            .Where(f => f.EndsWith(RescueFileName.SealedSuffix, StringComparison.Ordinal) || f.EndsWith(RescueFileName.OpenSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// True while another process (a live rescue writer) holds <paramref name="path"/> exclusively: opening
    /// it with <see cref="FileShare.None"/> fails. On Unix this is the writer's <c>flock(LOCK_EX)</c>.
    /// A file that vanished meanwhile, or anything but a regular file (never opened), is not held. Does not throw.
    /// </summary>
    public static bool IsHeld(string path)
    {
        if (PlainFiles.KindOf(path) != EntryKind.Regular)
        {
            return false; // opening a symlink or FIFO to probe it would follow it (or block): nobody's lock
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 1);
            return false;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Classifies every rescue file: sealed, open (held), orphaned (not held), unroutable (name does not parse
    /// or its sink is not in <paramref name="sinkNames"/>); with bytes and lines. An entry that is not a regular
    /// file (symlink, FIFO, folder) is never opened or followed (lstat, as wprescue's picker): it is unroutable
    /// with 0 lines and 0 bytes, because wprescue skips it too. Files that disappear while
    /// scanning (replayed or sealed meanwhile) are left out. Ordered like the picker (time, then seq), unparsable names last.
    /// </summary>
    public static IReadOnlyList<RescueFileEntry> Scan(string rescueRoot, IReadOnlySet<string> sinkNames)
    {
        var entries = new List<RescueFileEntry>();
        foreach (var path in DataFiles(rescueRoot))
        {
            var fileName = Path.GetFileName(path);
            var kind = PlainFiles.KindOf(path);
            if (kind == EntryKind.Missing)
            {
                continue;
            }

            RescueFileName? name = RescueFileName.TryParse(fileName, out var parsed) ? parsed : null;
            var isLock = fileName.EndsWith(RescueFileName.OpenSuffix, StringComparison.Ordinal);
            var held = isLock && IsHeld(path);
            string? reason = name is null
                ? "name is not <sink>-<yyyy-MM-dd_HH:mm:ss>[-<seq>].dat"
                : !sinkNames.Contains(name.Value.SinkName) ? $"no sink named '{name.Value.SinkName}'" : null;
            var state = reason is not null ? RescueFileState.Unroutable
                : !isLock ? RescueFileState.Sealed
                : held ? RescueFileState.Open
                : RescueFileState.Orphaned;

            long bytes;
            long? lines = null;
            if (kind != EntryKind.Regular)
            {
                entries.Add(new RescueFileEntry(
                    path, RescueFileState.Unroutable, name, 0, 0, $"{PlainFiles.Describe(kind)}: wprescue replays only regular files in the rescue folder"));
                continue;
            }

            if (held)
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    continue;
                }

                bytes = info.Length;
            }
            else
            {
                LineCount count;
                try
                {
                    count = LineCounter.Count(path);
                }
                catch (IOException)
                {
                    // Taken by a writer between the probe and the count: report it as it is now.
                    entries.Add(new RescueFileEntry(path, reason is null ? RescueFileState.Open : state, name, new FileInfo(path).Length, null, reason));
                    continue;
                }

                if (!count.Exists)
                {
                    continue;
                }

                bytes = count.Bytes;
                lines = count.Lines;
            }

            entries.Add(new RescueFileEntry(path, state, name, bytes, lines, reason));
        }

        return entries
            .OrderBy(e => e.Name is null ? 1 : 0)
            .ThenBy(e => e.Name ?? default, RescueFileName.ByTimeThenSeq)
            .ThenBy(e => e.FileName, StringComparer.Ordinal)
            .ToList();
    }
}
