using Serilog;
using Wp.Core.Rescue;

namespace Wp.Core.Recovery;

/// <summary>What <see cref="StaleLockAdopter.TryAdopt"/> did with one <c>.dat.lock</c>.</summary>
internal enum AdoptOutcome
{
    /// <summary>Trimmed if needed and sealed to <c>.dat</c>.</summary>
    Adopted,

    /// <summary>It held no complete entry and was removed.</summary>
    Removed,

    /// <summary>A live writer holds it (or it may be just being created): left alone.</summary>
    Live,

    /// <summary>Gone before we got to it (sealed by its writer meanwhile), or not a rescue file name.</summary>
    Ignored,

    /// <summary>An I/O error; logged, left for a later attempt.</summary>
    Failed,

    /// <summary>Not a regular file (a symlink, FIFO, folder): never opened; one error line.</summary>
    Refused,
}

/// <summary>
/// Adopts orphaned rescue files (SPEC §9.7): a <c>.dat.lock</c> whose writer died is trimmed of a torn
/// tail, fsynced and sealed to <c>.dat</c> so the picker replays it.
/// </summary>
/// <remarks>
/// <para><b>Live or orphaned.</b> A live <c>RescueWriter</c> holds its file with
/// <see cref="FileShare.None"/> (<c>flock(LOCK_EX)</c> on Unix, dropped by the kernel when the process
/// dies). Opening the file the same way fails while a writer lives and succeeds once it is gone — and
/// from then on <i>we</i> hold the lock while trimming and renaming, so the writer's name can never be
/// reused under us (writers only ever create new names).</para>
/// <para><b>The open-then-lock window.</b> .NET opens a file, then flocks it. An empty file we can lock
/// may therefore be a brand-new one whose writer has not flocked yet: empty files younger than
/// <see cref="EmptyGrace"/> are left alone (a writer locks before its first byte, so a non-empty file
/// we can lock is certainly orphaned).</para>
/// <para><b>Torn tail.</b> The writer puts a batch in one write, so a crash leaves whole entries and
/// at most one torn last line. That line — one not ending in <c>\n</c>, or whose entry does not
/// decode — is cut off (saved to <c>bad/&lt;file&gt;.bad</c> first, never silently lost), then the file is
/// fsynced and renamed while still locked, and the folder is fsynced.</para>
/// </remarks>
internal sealed class StaleLockAdopter
{
    /// <summary>Empty <c>.dat.lock</c> files younger than this are not touched. 5 s.</summary>
    public static readonly TimeSpan EmptyGrace = TimeSpan.FromSeconds(5);

    private readonly string _root;
    private readonly string _badFolder;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly HashSet<string> _reportedLive = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedRefused = new(StringComparer.Ordinal);

    public StaleLockAdopter(string rescueRoot, string badFolder, TimeProvider time, ILogger log)
    {
        _root = Path.GetFullPath(rescueRoot);
        _badFolder = badFolder;
        _time = time;
        _log = log;
    }

    /// <summary>Torn last lines cut off so far.</summary>
    public long TornLinesDropped { get; private set; }

    /// <summary>Tries every <c>.dat.lock</c> in the rescue folder. Does not throw; returns the outcomes by path.</summary>
    public IReadOnlyDictionary<string, AdoptOutcome> AdoptAll()
    {
        var outcomes = new Dictionary<string, AdoptOutcome>(StringComparer.Ordinal);
        IEnumerable<string> files;
        try
        {
            files = Directory.Exists(_root)
                ? Directory.EnumerateFileSystemEntries(_root).Where(p => p.EndsWith(RescueFileName.OpenSuffix, StringComparison.Ordinal)).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error("recover scan of {Folder:l} for stale lock files failed: {Error:l}", _root, ex.Message);
            return outcomes;
        }

        foreach (var path in files)
        {
            outcomes[path] = TryAdopt(path);
        }

        return outcomes;
    }

    /// <summary>Adopts one <c>.dat.lock</c> if no live writer holds it. Does not throw.</summary>
    public AdoptOutcome TryAdopt(string lockPath)
    {
        if (!RescueFileName.TryParse(Path.GetFileName(lockPath), out var name) || name.Sealed)
        {
            return AdoptOutcome.Ignored;
        }

        FileStream? stream;
        string? refused;
        try
        {
            // Never through a symlink, never a FIFO: adopting truncates and renames (see PlainFiles).
            stream = PlainFiles.OpenRegular(lockPath, write: true, out refused);
            if (stream is not null && !PlainFiles.TryLockExclusive(stream))
            {
                stream.Dispose();
                throw new IOException("locked by its writer");
            }
        }
        catch (FileNotFoundException)
        {
            return AdoptOutcome.Ignored; // its writer sealed it meanwhile
        }
        catch (IOException)
        {
            if (_reportedLive.Add(lockPath))
            {
                _log.Information("recover: {Path:l} is held by a live writer; left alone", lockPath);
            }

            return AdoptOutcome.Live;
        }
        catch (UnauthorizedAccessException ex)
        {
            _log.Error("recover: cannot open {Path:l} to adopt it: {Error:l}", lockPath, ex.Message);
            return AdoptOutcome.Failed;
        }

        if (stream is null)
        {
            if (_reportedRefused.Add(lockPath))
            {
                _log.Error("recover skip: {Path:l}: {Kind:l}: only regular files in the rescue folder are adopted", lockPath, refused);
            }

            return AdoptOutcome.Refused;
        }

        using (stream)
        {
            try
            {
                return Adopt(stream, lockPath, name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Error("recover: adopting stale lock file {Path:l} failed: {Error:l}", lockPath, ex.Message);
                return AdoptOutcome.Failed;
            }
        }
    }

    private AdoptOutcome Adopt(FileStream stream, string lockPath, RescueFileName name)
    {
        var length = stream.Length;
        if (length == 0)
        {
            var age = _time.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(lockPath);
            if (age < EmptyGrace)
            {
                return AdoptOutcome.Live; // possibly a writer between open() and flock(); see remarks
            }

            File.Delete(lockPath);
            _log.Warning("adopt stale lock file {Path:l}: empty, removed", lockPath);
            return AdoptOutcome.Removed;
        }

        var sealedName = name.AsSealed().ToString();
        var (goodEnd, tornReason) = FindGoodEnd(stream, length);
        if (goodEnd < length)
        {
            Quarantine(stream, sealedName, goodEnd, length, tornReason!);
            stream.SetLength(goodEnd);
            TornLinesDropped++;
        }

        if (goodEnd == 0)
        {
            File.Delete(lockPath);
            _log.Warning("adopt stale lock file {Path:l}: no complete entry ({Reason:l}, {Bytes} bytes dropped), removed", lockPath, tornReason, length);
            return AdoptOutcome.Removed;
        }

        stream.Flush(flushToDisk: true);
        var sealedPath = FreeSealedPath(name);
        File.Move(lockPath, sealedPath, overwrite: false); // still locked by us: nobody else can touch it
        NativeFiles.SyncFolder(_root);
        if (goodEnd < length)
        {
            _log.Warning(
                "adopt stale lock file {Path:l} -> {Sealed:l}: torn last line dropped ({Reason:l}, {Bytes} bytes, kept in {Bad:l})",
                lockPath,
                sealedPath,
                tornReason,
                length - goodEnd,
                Path.Combine(_badFolder, sealedName + ".bad"));
        }
        else
        {
            _log.Warning("adopt stale lock file {Path:l} -> {Sealed:l}", lockPath, sealedPath);
        }

        return AdoptOutcome.Adopted;
    }

    /// <summary>
    /// Where the whole entries end: after the last <c>\n</c> when the file does not end in one;
    /// otherwise the end, unless the last line does not decode (then its start).
    /// </summary>
    internal static (long GoodEnd, string? TornReason) FindGoodEnd(FileStream stream, long length)
    {
        var handle = stream.SafeFileHandle;
        Span<byte> last = stackalloc byte[1];
        RandomAccess.Read(handle, last, length - 1);
        if (last[0] != (byte)'\n')
        {
            return (LastNewlineBefore(handle, length) + 1, "no newline at the end");
        }

        var lineStart = LastNewlineBefore(handle, length - 1) + 1;
        var line = new byte[length - 1 - lineStart];
        ReadExactly(handle, line, lineStart);
        if (line.AsSpan().Trim(" \t\r"u8).IsEmpty || RescueEntryCodec.TryDecode(line, out _, out _))
        {
            return (length, null); // a blank last line is handled (counted) by the replayer, like any blank line
        }

        RescueEntryCodec.TryDecode(line, out _, out var error);
        return (lineStart, "last line does not decode: " + error);
    }

    /// <summary>Offset of the last <c>\n</c> before <paramref name="end"/>, or -1.</summary>
    private static long LastNewlineBefore(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long end)
    {
        var chunk = new byte[64 * 1024];
        var position = end;
        while (position > 0)
        {
            var size = (int)Math.Min(chunk.Length, position);
            position -= size;
            ReadExactly(handle, chunk.AsSpan(0, size), position);
            var index = chunk.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return position + index;
            }
        }

        return -1;
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
            {
                throw new IOException("file shrank while being adopted");
            }

            done += n;
        }
    }

    private void Quarantine(FileStream stream, string sealedName, long from, long to, string reason)
    {
        var tail = new byte[to - from];
        ReadExactly(stream.SafeFileHandle, tail, from);
        using var bad = new BadLineQuarantine(_badFolder, sealedName);
        bad.Write(lineNumber: 0, "torn tail of an adopted file at byte " + from + ": " + reason, tail);
        bad.Sync();
    }

    private string FreeSealedPath(RescueFileName name)
    {
        // The writer never reuses a name, so this is normally the same name with .dat; take the next
        // seq if a file of that name exists in either time form (e.g. copied in from elsewhere).
        for (var seq = name.Seq; ; seq++)
        {
            var candidate = name.WithSeq(seq).AsSealed();
            if (!File.Exists(Path.Combine(_root, candidate.Format(windowsForm: false)))
                && !File.Exists(Path.Combine(_root, candidate.Format(windowsForm: true))))
            {
                return Path.Combine(_root, candidate.ToString());
            }
        }
    }
}
