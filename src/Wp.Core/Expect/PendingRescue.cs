using System.Text.Json;
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

        var (checkpointFile, checkpointLines) = Checkpoint(Path.Combine(rescueRoot, RescueFolder.CheckpointFileName));
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

    /// <summary>The file and line count of <c>recover.lock</c>, or (null, 0) when absent or unreadable.</summary>
    private static (string? File, long Lines) Checkpoint(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return (null, 0);
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String
                && root.TryGetProperty("lines", out var lines) && lines.TryGetInt64(out var n)
                ? (Path.GetFileName(file.GetString()), n)
                : (null, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, 0);
        }
    }
}
