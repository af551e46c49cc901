namespace Wp.Core.Sources.Files;

/// <summary>What a file source does at start, given its saved position (SPEC §4.1).</summary>
internal enum ResumeKind
{
    /// <summary>No saved position: read from the start.</summary>
    NoPosition,

    /// <summary><c>--from-start</c>: the saved position is ignored.</summary>
    FromStart,

    /// <summary>Same file, at least as long as the saved offset: continue there.</summary>
    Resume,

    /// <summary>The file was renamed away and a new one created: finish the old one, then read the new one from 0.</summary>
    Rotated,

    /// <summary>The file was copied and truncated: finish the copy from the saved offset, then read the file from 0.</summary>
    CopyTruncated,

    /// <summary>Same file, but shorter than the saved offset or with other first bytes: read from 0.</summary>
    Truncated,

    /// <summary>Another file (other inode) stands at the path and the old one is gone: read from 0.</summary>
    Replaced,
}

/// <summary>
/// The start decision: optionally a <see cref="Remainder"/> (the old file of a rotation, to read
/// from <see cref="RemainderFrom"/> to its end first), then the file at the source's path from
/// <see cref="Offset"/>. <see cref="Reason"/> is the sentence the log prints.
/// </summary>
internal sealed record ResumePlan(ResumeKind Kind, long Offset, long Lines, string Reason)
{
    public string? Remainder { get; init; }

    public FilePosition? RemainderFrom { get; init; }

    /// <summary>
    /// Decides where <paramref name="path"/> starts. <paramref name="current"/> is the identity of
    /// the file there now (null when missing) and <paramref name="currentLength"/> its length.
    /// Rotated-away files are looked for beside the path (names starting with the file name).
    /// </summary>
    public static ResumePlan Decide(FilePosition? saved, string path, FileIdentity? current, long currentLength, bool fromStart)
    {
        if (fromStart)
        {
            return new ResumePlan(ResumeKind.FromStart, 0, 0, "--from-start: saved position ignored, reading from the start");
        }

        if (saved is not { } pos)
        {
            return new ResumePlan(ResumeKind.NoPosition, 0, 0, "no saved position, reading from the start");
        }

        var sameFile = current is { } cur && (cur.SameInodeAs(pos.Identity) || (cur.Inode == 0 || pos.Identity.Inode == 0));
        if (sameFile)
        {
            var prefixMatches = PrefixMatches(path, pos.Identity);
            if (prefixMatches && currentLength >= pos.Offset)
            {
                return new ResumePlan(ResumeKind.Resume, pos.Offset, pos.Lines,
                    $"resuming at byte {pos.Offset} (line {pos.Lines}) of {currentLength}");
            }

            if (FindCopy(path, pos) is { } copy)
            {
                return new ResumePlan(ResumeKind.CopyTruncated, 0, 0,
                    $"truncated after a copy to {copy} (copytruncate): finishing the copy from byte {pos.Offset}, then reading from the start")
                {
                    Remainder = copy,
                    RemainderFrom = pos,
                };
            }

            return new ResumePlan(ResumeKind.Truncated, 0, 0, prefixMatches || currentLength < pos.Offset
                ? $"truncated ({currentLength} bytes, saved offset {pos.Offset}): reading from the start"
                : $"rewritten (its first bytes changed; saved offset {pos.Offset}): reading from the start");
        }

        if (FindRenamed(path, pos) is { } renamed)
        {
            return new ResumePlan(ResumeKind.Rotated, 0, 0,
                $"rotated (the file read before is now {renamed}): finishing it from byte {pos.Offset}, then reading the new file from the start")
            {
                Remainder = renamed,
                RemainderFrom = pos,
            };
        }

        return current is null
            ? new ResumePlan(ResumeKind.Replaced, 0, 0, "file missing; its saved position is dropped")
            : new ResumePlan(ResumeKind.Replaced, 0, 0, $"replaced (another file, inode {current.Value.Inode}, is at the path; the one read before was inode {pos.Identity.Inode}): reading from the start");
    }

    /// <summary>Whether the first bytes of the file at <paramref name="path"/> still match <paramref name="identity"/>'s fingerprint.</summary>
    public static bool PrefixMatches(string path, FileIdentity identity)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return FileIdentity.FingerprintOf(handle, identity.FingerprintLength) == identity.Fingerprint;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Files beside <paramref name="path"/> named like rotations of it (<c>gen.dat.1</c>, <c>gen.dat-2026…</c>), newest first.</summary>
    public static IEnumerable<string> Siblings(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        var name = System.IO.Path.GetFileName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, name + "*")
            .Where(f => f.Length > folder.Length + 1 + name.Length && !string.Equals(System.IO.Path.GetFullPath(f), System.IO.Path.GetFullPath(path), StringComparison.Ordinal))
            .Where(f => !f.EndsWith(".gz", StringComparison.Ordinal) && !f.EndsWith(".tmp", StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
    }

    /// <summary>The old file of a rename rotation: a sibling with the saved inode whose first bytes still match.</summary>
    public static string? FindRenamed(string path, FilePosition saved)
    {
        if (saved.Identity.Inode == 0)
        {
            return null;
        }

        foreach (var sibling in Siblings(path))
        {
            if (FileIdentity.Of(sibling) is { } id && id.SameInodeAs(saved.Identity) && PrefixMatches(sibling, saved.Identity))
            {
                return sibling;
            }
        }

        return null;
    }

    /// <summary>The copy of a copytruncate: a sibling with the saved first bytes, at least as long as the saved offset.</summary>
    public static string? FindCopy(string path, FilePosition saved)
    {
        foreach (var sibling in Siblings(path))
        {
            try
            {
                if (new FileInfo(sibling).Length >= saved.Offset && PrefixMatches(sibling, saved.Identity))
                {
                    return sibling;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }
}
