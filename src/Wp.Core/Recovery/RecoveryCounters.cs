using Wp.Core.Stats;

namespace Wp.Core.Recovery;

/// <summary>
/// Run-wide counters of wprescue, read by the stat printer on another thread (every counter is
/// atomic). They make the <c>pick</c> row of the stat table: lines read from rescue files and how
/// many of them were entries.
/// </summary>
internal sealed class RecoveryCounters : IStatSource
{
    private long _lines;
    private long _entries;
    private long _blank;
    private long _bad;
    private long _filesDone;
    private long _targetFailures;
    private long _replayedLines;
    private long _replayedEntries;

    public RecoveryCounters(string rescueRoot) => RescueRoot = rescueRoot;

    public string RescueRoot { get; }

    /// <summary>Lines read (entries, blank and bad lines; re-reads after a failure count again).</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Lines that decoded to a record.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    public long Blank => Interlocked.Read(ref _blank);

    public long Bad => Interlocked.Read(ref _bad);

    /// <summary>Files replayed to their end and deleted.</summary>
    public long FilesDone => Interlocked.Read(ref _filesDone);

    /// <summary>Replay attempts stopped by a failing target.</summary>
    public long TargetFailures => Interlocked.Read(ref _targetFailures);

    /// <summary>Lines past a checkpoint: each rescue line counted once, however often a failing target made it be re-read.</summary>
    public long ReplayedLines => Interlocked.Read(ref _replayedLines);

    /// <summary>Records past a checkpoint (flushed to their sink), each counted once.</summary>
    public long ReplayedEntries => Interlocked.Read(ref _replayedEntries);

    /// <summary>The pick row counts lines replayed once (checkpointed), not re-reads after a failing target.</summary>
    public IEnumerable<StatRow> Snapshot()
    {
        yield return new StatRow("pick", "rescue", RescueRoot, ReplayedLines, ReplayedEntries);
    }

    internal void AddReplayed(long lines, long entries)
    {
        Interlocked.Add(ref _replayedLines, lines);
        Interlocked.Add(ref _replayedEntries, entries);
    }

    internal void AddLines(long lines, long entries)
    {
        Interlocked.Add(ref _lines, lines);
        Interlocked.Add(ref _entries, entries);
    }

    internal void AddBlank() => Interlocked.Increment(ref _blank);

    internal void AddBad() => Interlocked.Increment(ref _bad);

    internal void AddFileDone() => Interlocked.Increment(ref _filesDone);

    internal void AddTargetFailure() => Interlocked.Increment(ref _targetFailures);
}
