using System.Threading.Channels;
using Serilog;
using Serilog.Core;
using Wp.Core.Records;
using Wp.Core.Sources.Acks;
using Wp.Core.Timing;

namespace Wp.Core.Sources.Files;

/// <summary>
/// The <c>file_src</c> source (docs/sources.md, "file_src"; positions: docs/restarts.md): reads a file line by line into
/// <see cref="LineBatch"/>es. In batch mode it stops at end of file; when following it waits for
/// appended lines like <c>tail -F</c>, and follows rotation: a file renamed away is read to its
/// end before the new one is opened, and after a copytruncate the copy is finished first.
/// </summary>
/// <remarks>
/// Every batch carries an <see cref="AckTicket"/> from <see cref="Tracker"/> marked with the
/// position after its last line; the tracker's watermark is what <see cref="PositionKeeper"/>
/// saves, so a saved position never passes a line whose records are not stored. At start the
/// saved position decides where reading begins (<see cref="ResumePlan"/>).
/// </remarks>
internal sealed class FileSource
{
    private const int BatchLines = LineBatch.DefaultLines;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _path;
    private readonly SpeedLimiter _limiter;
    private readonly LineBudget _budget;
    private readonly TimeProvider _time;
    private readonly PositionStore? _store;
    private readonly bool _fromStart;
    private readonly ILogger _log;
    private readonly RecordPool? _records;

    /// <param name="records">Where batches take the leases their lines are decoded into (<see cref="LineBatch"/>); null: string lines.</param>
    public FileSource(
        string key,
        string path,
        SpeedLimiter limiter,
        LineBudget budget,
        TimeProvider time,
        PositionStore? store = null,
        bool fromStart = false,
        ILogger? log = null,
        RecordPool? records = null)
    {
        _records = records;
        _path = path;
        _limiter = limiter;
        _budget = budget;
        _time = time;
        _store = store;
        _fromStart = fromStart;
        _log = log ?? Logger.None;
        Counters = new SourceCounters(key, path);
    }

    public SourceCounters Counters { get; }

    public string Key => Counters.Key;

    /// <summary>Acknowledgement of the batches handed out; its watermark is the position to save.</summary>
    public AckTracker<FilePosition> Tracker { get; } = new();

    /// <summary>The plan chosen at start (after <see cref="RunAsync"/> began); for logs and tests.</summary>
    public ResumePlan? Plan { get; private set; }

    /// <summary>
    /// Reads until end of file (or, when <paramref name="follow"/>, until <paramref name="stop"/> is
    /// cancelled), writing batches to <paramref name="output"/>. A missing file is an error in
    /// batch mode and awaited when following.
    /// </summary>
    public async Task RunAsync(ChannelWriter<LineBatch> output, bool follow, CancellationToken stop)
    {
        var (offset, lines) = await StartAsync(output, stop);
        while (!stop.IsCancellationRequested && !_budget.IsExhausted)
        {
            if (!File.Exists(_path))
            {
                if (!follow)
                {
                    throw new FileNotFoundException($"source {Counters.Key}: file not found: {_path}", _path);
                }

                await Delay(stop);
                continue;
            }

            var reopen = await ReadFileAsync(_path, offset, lines, output, follow ? FollowMode.Follow : FollowMode.ToEnd, stop);
            if (!reopen)
            {
                return;
            }

            (offset, lines) = (0, 0);
        }
    }

    /// <summary>Decides where to start from the saved position, logs why, and finishes a rotated-away file first.</summary>
    private async Task<(long Offset, long Lines)> StartAsync(ChannelWriter<LineBatch> output, CancellationToken stop)
    {
        if (_store is null)
        {
            Plan = new ResumePlan(ResumeKind.NoPosition, 0, 0, "positions off");
            return (0, 0);
        }

        var saved = _store.Load(Counters.Key, out var problem);
        if (problem is not null)
        {
            _log.Warning("source {Key}: position file ignored: {Problem}", Counters.Key, problem);
        }

        var current = FileIdentity.Of(_path);
        var length = current is null ? 0 : new FileInfo(_path).Length;
        var plan = ResumePlan.Decide(saved, _path, current, length, _fromStart);
        Plan = plan;
        if (plan.Kind is ResumeKind.Resume or ResumeKind.NoPosition or ResumeKind.FromStart)
        {
            _log.Information("source {Key}: {Path}: {Reason}", Counters.Key, _path, plan.Reason);
        }
        else
        {
            _log.Warning("source {Key}: {Path}: {Reason}", Counters.Key, _path, plan.Reason);
        }

        if (plan is { Remainder: { } remainder, RemainderFrom: { } from })
        {
            await ReadFileAsync(remainder, from.Offset, from.Lines, output, FollowMode.Drain, stop);
        }

        return (plan.Offset, plan.Lines);
    }

    /// <summary>
    /// Reads one opening of a file from <paramref name="startOffset"/>; returns true when the file at
    /// the source's path must be opened anew from 0 (rotated, truncated or replaced).
    /// </summary>
    private async Task<bool> ReadFileAsync(string path, long startOffset, long startLines, ChannelWriter<LineBatch> output, FollowMode mode, CancellationToken stop)
    {
        await using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        var identity = FileIdentity.Of(stream.SafeFileHandle);
        if (stream.Length < startOffset)
        {
            _log.Warning("source {Key}: {Path} is shorter ({Length} bytes) than the position {Offset}: reading from the start", Counters.Key, path, stream.Length, startOffset);
            (startOffset, startLines) = (0, 0);
        }

        stream.Seek(startOffset, SeekOrigin.Begin);
        using var reader = new LineReader(stream);
        var lines = startLines;
        var invalidSeen = 0L;
        var batch = NewBatch();
        long countedSplit = 0;
        var takePartial = mode != FollowMode.Follow;
        var rotated = false;

        // The ticket marks where this file stands after the batch's last line.
        async ValueTask HandOverAsync(CancellationToken token)
        {
            if (batch.Ack is null)
            {
                var offset = startOffset + reader.Position;
                if (identity.FingerprintLength < FileIdentity.MaxFingerprintBytes && offset > identity.FingerprintLength)
                {
                    identity = FileIdentity.Of(stream.SafeFileHandle) with { Device = identity.Device, Inode = identity.Inode };
                }

                batch.Ack = Tracker.Issue(new FilePosition(path, identity, offset, lines));
            }

            await output.WriteAsync(batch, token);
            batch = NewBatch();
        }

        try
        {
            while (!stop.IsCancellationRequested)
            {
                var wanted = batch.Capacity - batch.Count;
                var allowed = _limiter.Grant(wanted);
                if (allowed == 0 && batch.Count > 0)
                {
                    // The speed limit makes us wait: hand over what was read rather than holding it.
                    await HandOverAsync(stop);
                }

                if (allowed == 0)
                {
                    allowed = await _limiter.AcquireAsync(wanted, stop);
                }

                var granted = _budget.Take(allowed);
                if (granted == 0)
                {
                    return false; // -n reached
                }

                var read = 0;
                while (read < granted && ReadLine(reader, batch, takePartial))
                {
                    read++;
                }

                lines += read;
                ReturnUnused(granted - read);
                Counters.AddLines(read);
                Counters.AddInvalidUtf8(reader.InvalidUtf8Lines - invalidSeen);
                invalidSeen = reader.InvalidUtf8Lines;
                if (reader.OversizedLines > countedSplit)
                {
                    if (Counters.AddSplit(reader.OversizedLines - countedSplit))
                    {
                        _log.Warning(
                            "source {Key}: a line of {Path} is longer than {Max} bytes; it was split into pieces of that size (each parsed as a line; split lines are counted)",
                            Counters.Key,
                            _path,
                            LineReader.MaxLineBytes);
                    }

                    countedSplit = reader.OversizedLines;
                }
                if (batch.IsFull || (read < granted && batch.Count > 0))
                {
                    await HandOverAsync(stop);
                }

                if (read < granted)
                {
                    if (mode != FollowMode.Follow)
                    {
                        return rotated; // a rotated file is finished: open the new one
                    }

                    await Delay(stop);
                    switch (CheckPath(stream, identity, startOffset + reader.Position))
                    {
                        case PathChange.Rotated:
                            _log.Warning("source {Key}: {Path} was rotated (a new file is at the path): finishing the old file, then reading the new one from the start", Counters.Key, path);
                            takePartial = true;
                            rotated = true;
                            mode = FollowMode.Drain; // read what is left, then reopen
                            break;
                        case PathChange.Truncated:
                            await FinishCopyAsync(path, new FilePosition(path, identity, startOffset + reader.Position, lines), output, stop);
                            return true;
                    }

                    if (mode == FollowMode.Drain)
                    {
                        continue;
                    }
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            if (batch.Count > 0)
            {
                // Lines already read are never dropped: hand over the partial batch even when stopping.
                await HandOverAsync(CancellationToken.None);
            }
            else
            {
                batch.Lease?.Release(); // nobody else took it: back to the pool
            }
        }
    }

    private LineBatch NewBatch() =>
        _records is null ? new LineBatch(Counters.Key, BatchLines) : new LineBatch(Counters.Key, BatchLines, _records.Take());

    private static bool ReadLine(LineReader reader, LineBatch batch, bool takePartial)
    {
        if (batch.Lease is { } lease)
        {
            if (!reader.TryReadLine(takePartial, lease, out var chars, out var length))
            {
                return false;
            }

            batch.Add(chars, length);
            return true;
        }

        if (!reader.TryReadLine(takePartial, out var line))
        {
            return false;
        }

        batch.Add(line);
        return true;
    }

    /// <summary>After a truncation seen while following: reads the copy (copytruncate) from where we were, if there is one.</summary>
    private async Task FinishCopyAsync(string path, FilePosition at, ChannelWriter<LineBatch> output, CancellationToken stop)
    {
        if (ResumePlan.FindCopy(path, at) is { } copy)
        {
            _log.Warning("source {Key}: {Path} was truncated after a copy to {Copy} (copytruncate): finishing the copy from byte {Offset}, then reading from the start", Counters.Key, path, copy, at.Offset);
            await ReadFileAsync(copy, at.Offset, at.Lines, output, FollowMode.Drain, stop);
        }
        else
        {
            _log.Warning("source {Key}: {Path} was truncated (no copy found beside it): reading from the start", Counters.Key, path);
        }
    }

    private void ReturnUnused(int unused)
    {
        // The budget is only an upper bound; lines granted but not read stay available to other sources.
        if (unused > 0)
        {
            _budget.Return(unused);
        }
    }

    /// <summary>What happened to the file at the source's path while we read <paramref name="stream"/>.</summary>
    private PathChange CheckPath(FileStream stream, FileIdentity reading, long position)
    {
        try
        {
            var onDisk = FileIdentity.Of(_path);
            if (onDisk is { } disk && reading.Inode != 0 && disk.Inode != 0 && !disk.SameInodeAs(reading))
            {
                return PathChange.Rotated;
            }

            if (onDisk is null)
            {
                // Renamed away without a new file yet, or deleted: keep reading what we have open.
                return PathChange.None;
            }

            if (stream.Length < position)
            {
                return PathChange.Truncated;
            }

            // Truncated and written past our position again between two polls: the first bytes tell.
            return FileIdentity.FingerprintOf(stream.SafeFileHandle, reading.FingerprintLength) == reading.Fingerprint
                ? PathChange.None
                : PathChange.Truncated;
        }
        catch (IOException)
        {
            return PathChange.None;
        }
    }

    private Task Delay(CancellationToken stop) =>
        Task.Delay(PollInterval, _time, stop).ContinueWith(static _ => { }, TaskScheduler.Default);

    private enum FollowMode
    {
        /// <summary>Batch mode: read to the end once.</summary>
        ToEnd,

        /// <summary>Daemon mode: wait for appended lines; watch for rotation.</summary>
        Follow,

        /// <summary>A rotated-away file or a copy: read to the end (a final line without newline included), then stop.</summary>
        Drain,
    }

    private enum PathChange
    {
        None,
        Rotated,
        Truncated,
    }
}
