namespace Wp.Core.Rescue;

/// <summary>
/// Rescue storage cannot take records (folder not creatable or writable, disk full…). Records that
/// were to be diverted are then NOT stored: <see cref="RecordsNotStored"/> says how many, and the
/// engine must stop with a non-zero exit rather than drop them silently (SPEC §8.4).
/// </summary>
internal sealed class RescueUnavailableException : Exception
{
    public RescueUnavailableException(string path, string reason, Exception? innerException = null, long recordsNotStored = 0)
        : base(BuildMessage(path, reason, recordsNotStored), innerException)
    {
        Path = path;
        Reason = reason;
        RecordsNotStored = recordsNotStored;
    }

    /// <summary>The rescue folder or file that could not be written.</summary>
    public string Path { get; }

    public string Reason { get; }

    /// <summary>Records that were to be diverted and are not stored anywhere (0 when not known yet).</summary>
    public long RecordsNotStored { get; }

    /// <summary>
    /// Of the batch being written when this happened, the records that are whole entries in the rescue
    /// file anyway (the write failed part-way and the file could not be cut back): stored, not lost.
    /// </summary>
    public int PartlyStored { get; init; }

    /// <summary>The same failure, stating how many records it left unstored.</summary>
    public RescueUnavailableException WithRecordsNotStored(long count) => new(Path, Reason, InnerException, count) { PartlyStored = PartlyStored };

    private static string BuildMessage(string path, string reason, long recordsNotStored) =>
        recordsNotStored > 0
            ? $"rescue storage unavailable at {path}: {reason}; {recordsNotStored} records could not be stored"
            : $"rescue storage unavailable at {path}: {reason}";
}
