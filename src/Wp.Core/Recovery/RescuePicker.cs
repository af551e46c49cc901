using Serilog;
using Wp.Core.Config;
using Wp.Core.Rescue;

namespace Wp.Core.Recovery;

/// <summary>A sealed rescue file the picker found replayable: its path and parsed name.</summary>
internal sealed record RescueCandidate(string Path, RescueFileName Name)
{
    /// <summary>Bare file name (the checkpoint key).</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Finds the rescue files to replay (README "wprescue", docs/configuration.md "Rescue files"):
/// <c>&lt;rescue_root&gt;/*.dat</c> only — never <c>*.dat.lock</c> (open or orphaned, see <see cref="StaleLockAdopter"/>), never <c>recover.lock</c> —
/// ordered by the time then seq in their names, newest first unless <c>order = "oldest"</c>.
/// </summary>
/// <remarks>
/// A file whose name does not parse, or names a sink that is not configured, is skipped with one
/// error line per file per run (<c>recover skip: &lt;file&gt;: no sink named &lt;x&gt;</c>) and never
/// blocks the others (ARCHITECTURE practice 5). <see cref="Skipped"/> lists the skipped files still
/// present after the last scan, which make <c>wprescue batch</c> exit 5.
/// </remarks>
internal sealed class RescuePicker
{
    private readonly string _root;
    private readonly Func<string, bool> _isKnownSink;
    private readonly RescueOrder _order;
    private readonly ILogger _log;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unusable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unusableFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Length, DateTime Written, long SeenAt)> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider? _time;
    private readonly TimeSpan _stableFor;
    private List<string> _skipped = [];

    /// <param name="rescueRoot">The rescue folder (need not exist).</param>
    /// <param name="isKnownSink">True for a configured sink name.</param>
    /// <param name="order">Newest (default) or oldest first.</param>
    /// <param name="log">Logger for the skip lines (context <c>recover</c>).</param>
    /// <param name="time">Clock for the stability wait; null = no wait (every sealed file is taken at once).</param>
    /// <param name="stableFor">A file is taken once its size and write time have not changed for this long
    /// (a <c>.dat</c> still being copied in must not be replayed half-way). Default 1 s.</param>
    public RescuePicker(string rescueRoot, Func<string, bool> isKnownSink, RescueOrder order, ILogger log, TimeProvider? time = null, TimeSpan? stableFor = null)
    {
        _root = Path.GetFullPath(rescueRoot);
        _isKnownSink = isKnownSink;
        _order = order;
        _log = log;
        _time = time;
        _stableFor = stableFor ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>True when the last <see cref="Scan"/> left out a file because it was still changing, or took one that just stopped changing.</summary>
    public bool Settling { get; private set; }

    /// <summary>Full paths of the files skipped by the last <see cref="Scan"/> (bad name, unknown or unusable sink).</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>
    /// Lists the replayable files in picking order. Does not throw: an unreadable folder is logged and
    /// yields nothing.
    /// </summary>
    public IReadOnlyList<RescueCandidate> Scan()
    {
        var candidates = new List<RescueCandidate>();
        var skipped = new List<string>();
        Settling = false;
        foreach (var path in SealedFiles())
        {
            var file = Path.GetFileName(path);
            var kind = PlainFiles.KindOf(path);
            if (kind == EntryKind.Missing)
            {
                continue; // replayed and deleted, or moved away, since the listing
            }

            if (kind != EntryKind.Regular)
            {
                // Only regular files directly in rescue_root are ever opened: a symlink may point anywhere.
                Skip(path, PlainFiles.Describe(kind) + ": only regular files in the rescue folder are replayed");
                skipped.Add(path);
            }
            else if (_unusableFiles.TryGetValue(path, out var fileReason))
            {
                Skip(path, fileReason);
                skipped.Add(path);
            }
            else if (!RescueFileName.TryParse(file, out var name) || !name.Sealed)
            {
                Skip(path, "not a rescue file name (<sink>-<yyyy-MM-dd_HH:mm:ss>[-<seq>].dat)");
                skipped.Add(path);
            }
            else if (!_isKnownSink(name.SinkName))
            {
                Skip(path, "no sink named " + name.SinkName);
                skipped.Add(path);
            }
            else if (_unusable.TryGetValue(name.SinkName, out var reason))
            {
                Skip(path, reason);
                skipped.Add(path);
            }
            else if (new FileInfo(path) is not { Exists: true } info)
            {
                // Deleted since the check above (a replayed file's background delete): nothing to pick.
            }
            else if (!IsStable(path, info))
            {
                Settling = true;
            }
            else
            {
                candidates.Add(new RescueCandidate(path, name));
            }
        }

        foreach (var gone in _seen.Keys.Where(p => !File.Exists(p)).ToList())
        {
            _seen.Remove(gone);
        }

        candidates.Sort((a, b) => RescueFileName.ByTimeThenSeq.Compare(a.Name, b.Name));
        if (_order == RescueOrder.Newest)
        {
            candidates.Reverse();
        }

        _skipped = skipped;
        return candidates;
    }

    /// <summary>
    /// Marks a configured sink unusable for this run (its backend could not be created); its files are
    /// skipped like those of an unknown sink from the next scan on.
    /// </summary>
    public void MarkUnusable(string sinkName, string reason) => _unusable[sinkName] = reason;

    /// <summary>Skips one file for the rest of the run (e.g. its checkpoint does not fit it), logged like the others.</summary>
    public void MarkFileUnusable(string path, string reason) => _unusableFiles[path] = reason;

    /// <summary>
    /// True once the file's size and write time have stayed the same for <c>stableFor</c> on the injected
    /// clock. A sealed file written by wparse never changes, so it only waits out one period; a file
    /// still being copied in (or otherwise growing) is left until it stops changing.
    /// </summary>
    private bool IsStable(string path, FileInfo info)
    {
        if (_time is null)
        {
            return true;
        }

        var now = _time.GetTimestamp();
        var current = (info.Length, info.LastWriteTimeUtc);
        if (!_seen.ContainsKey(path) && _time.GetUtcNow() - new DateTimeOffset(info.LastWriteTimeUtc) >= _stableFor)
        {
            // Not written for a while (a file left from an earlier run): no need to watch it first.
            _seen[path] = (current.Length, current.LastWriteTimeUtc, long.MinValue);
            return true;
        }

        if (_seen.TryGetValue(path, out var seen) && seen.Length == current.Length && seen.Written == current.LastWriteTimeUtc)
        {
            if (seen.SeenAt == long.MinValue)
            {
                return true; // stable before, unchanged since
            }

            if (_time.GetElapsedTime(seen.SeenAt, now) < _stableFor)
            {
                return false;
            }

            Settling = true; // it became ready just now: its wait counts as work, not idleness
            _seen[path] = (seen.Length, seen.Written, long.MinValue);
            return true;
        }

        if (_seen.ContainsKey(path) && _reported.Add(Path.GetFileName(path) + "\u001fgrowing"))
        {
            _log.Information("recover: {File:l} is still changing ({Bytes} bytes now); it is replayed once it has been stable for {Stable} ms", path, current.Length, (long)_stableFor.TotalMilliseconds);
        }

        _seen[path] = (current.Length, current.LastWriteTimeUtc, now);
        return false;
    }

    private IEnumerable<string> SealedFiles()
    {
        try
        {
            if (!Directory.Exists(_root))
            {
                return [];
            }

            // Filter by exact suffix ourselves: a "*.dat" pattern has platform quirks.
            return Directory.EnumerateFileSystemEntries(_root)
                .Where(p => p.EndsWith(RescueFileName.SealedSuffix, StringComparison.Ordinal))
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error("recover scan of {Folder:l} failed: {Error:l}", _root, ex.Message);
            return [];
        }
    }

    private void Skip(string path, string reason)
    {
        if (_reported.Add(Path.GetFileName(path)))
        {
            _log.Error("recover skip: {File:l}: {Reason:l}", path, reason);
        }
    }
}
