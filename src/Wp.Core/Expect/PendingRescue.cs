using Wp.Core.Project;

namespace Wp.Core.Expect;

/// <summary>
/// Records of each sink still waiting in rescue files (issue 11 "truthful accounting"): the lines
/// of its sealed and orphaned rescue files (one entry per line), minus what the recovery
/// checkpoint says is already replayed. Files a live writer holds cannot be read and are not
/// counted. Lets <c>wproj stat</c> show "written + pending = routed" and <c>wproj validate</c> say
/// when a FAIL is only data not yet replayed.
/// </summary>
internal static class PendingRescue
{
    /// <summary>Pending records per sink name (sinks without any are absent). Does not throw for I/O problems.</summary>
    public static IReadOnlyDictionary<string, long> PerSink(string rescueRoot, IReadOnlySet<string> sinkNames)
    {
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyList<RescueFileEntry> files;
        try
        {
            files = RescueFolder.Scan(rescueRoot, sinkNames);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return pending;
        }

        // Read as wproj rescue stat reads it: never through a symlink; absent or unreadable counts nothing as replayed.
        var (checkpointFile, checkpointLines) = CheckpointView.Read(Path.Combine(rescueRoot, RescueFolder.CheckpointFileName)) is { File: { } replaying, Lines: { } replayed }
            ? (Path.GetFileName(replaying), replayed)
            : (null, 0L);
        foreach (var file in files)
        {
            if (file is not { State: RescueFileState.Sealed or RescueFileState.Orphaned, Name: { } name, Lines: { } lines })
            {
                continue;
            }

            var done = string.Equals(file.FileName, checkpointFile, StringComparison.Ordinal) ? Math.Min(checkpointLines, lines) : 0;
            pending[name.SinkName] = pending.GetValueOrDefault(name.SinkName) + lines - done;
        }

        return pending;
    }
}
