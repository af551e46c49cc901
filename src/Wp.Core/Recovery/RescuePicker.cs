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
/// Finds the rescue files to replay (SPEC §9.3): <c>&lt;rescue_root&gt;/*.dat</c> only — never
/// <c>*.dat.lock</c> (open or orphaned, see <see cref="StaleLockAdopter"/>), never <c>recover.lock</c> —
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
    private List<string> _skipped = [];

    /// <param name="rescueRoot">The rescue folder (need not exist).</param>
    /// <param name="isKnownSink">True for a configured sink name.</param>
    /// <param name="order">Newest (default) or oldest first.</param>
    /// <param name="log">Logger for the skip lines (context <c>recover</c>).</param>
    public RescuePicker(string rescueRoot, Func<string, bool> isKnownSink, RescueOrder order, ILogger log)
    {
        _root = Path.GetFullPath(rescueRoot);
        _isKnownSink = isKnownSink;
        _order = order;
        _log = log;
    }

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
        foreach (var path in SealedFiles())
        {
            var file = Path.GetFileName(path);
            if (!RescueFileName.TryParse(file, out var name) || !name.Sealed)
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
            else
            {
                candidates.Add(new RescueCandidate(path, name));
            }
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

    private IEnumerable<string> SealedFiles()
    {
        try
        {
            if (!Directory.Exists(_root))
            {
                return [];
            }

            // Filter by exact suffix ourselves: a "*.dat" pattern has platform quirks.
            return Directory.EnumerateFiles(_root)
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
