using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Serilog;
using Wp.Core.Pipeline;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Timing;

namespace Wp.Core.Recovery;

/// <summary>How one <see cref="Replayer.ReplayAsync"/> call ended.</summary>
internal enum ReplayStatus
{
    /// <summary>Every entry delivered and flushed; the file is deleted and its checkpoint cleared.</summary>
    Completed,

    /// <summary>Stop requested: the in-flight batch was delivered, flushed and checkpointed (a clean position).</summary>
    Stopped,

    /// <summary>The target failed: the file stays at its last checkpoint, to be retried after a backoff.</summary>
    TargetFailed,

    /// <summary>Reading the file, quarantining, checkpointing or deleting failed; the file stays at its last checkpoint.</summary>
    LocalFailure,

    /// <summary>
    /// The file is not replayed at all this run: it is not a regular file, or its checkpoint does not fit
    /// it (a different or changed file under the same name). Nothing was sent; the engine skips it.
    /// </summary>
    Refused,
}

/// <summary>The end of one replay attempt.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Position">The last checkpointed position (where a retry starts).</param>
/// <param name="Progressed">True when the checkpoint moved forward during this attempt.</param>
/// <param name="Error">The failure, for <see cref="ReplayStatus.TargetFailed"/> and <see cref="ReplayStatus.LocalFailure"/>.</param>
/// <param name="RetryAfter">For <see cref="ReplayStatus.TargetFailed"/>: when the target said it will be back, if it did.</param>
internal sealed record ReplayResult(ReplayStatus Status, FilePosition Position, bool Progressed, string? Error, TimeSpan? RetryAfter = null);

/// <summary>Settings of the replay loop (docs/configuration.md: <c>[rescue]</c>, <c>speed_limit</c>).</summary>
internal sealed record ReplayerOptions
{
    /// <summary>The rescue folder (resolved); the quarantine is its <c>bad/</c> sub-folder.</summary>
    public required string RescueRoot { get; init; }

    /// <summary>Checkpoint after this many lines. Default 1000.</summary>
    public int CheckpointEveryLines { get; init; } = 1000;

    /// <summary>Checkpoint at least this often while lines are being sent. Default 200 ms.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A checkpoint is fsynced (durable against a power loss) when this long has passed since the last
    /// durable one, and at every graceful stop; the others are atomic against crashes only. Default 1 s.
    /// </summary>
    public TimeSpan DurableCheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Lines per second read from rescue files; 0 = unlimited.</summary>
    public long SpeedLimit { get; init; }

    public string BadFolder => Path.Combine(RescueRoot, BadLineQuarantine.FolderName);
}

/// <summary>
/// Replays one sealed rescue file into its sink (README "wprescue"): from the checkpointed offset,
/// decode each entry and hand the records, in batches, to that sink's <see cref="SinkRuntime"/> only
/// — which runs in replay mode (<see cref="SinkRuntimeOptions.DivertOnFailure"/> off), so wprescue
/// never writes rescue files itself.
/// </summary>
/// <remarks>
/// <para><b>Ship, then checkpoint, then delete</b> (ARCHITECTURE practice 4). The order of one commit
/// is: write the pending batch → flush the runtime → sync the quarantine → save the checkpoint. So a
/// checkpoint never names a line whose record is not flushed to the target (or whose bad line is not
/// in the quarantine), and a crash at any point re-sends only lines after the last checkpoint — at most
/// <c>checkpoint_every_lines</c> of them. At end of file: commit (checkpoint = end of file), fsync the
/// target, delete the file, clear its checkpoint. The delete runs in the background while the next file
/// is replayed; the engine settles it (<see cref="SettleDeletesAsync"/>: clear the checkpoint) and does
/// not pick the file meanwhile (<see cref="IsBeingDeleted"/>). A crash between the delete and the clear
/// leaves a checkpoint naming a missing file, which the engine prunes; a crash before the delete leaves a
/// checkpoint at end of file, so the retry sends nothing again.</para>
/// <para><b>Durability.</b> The bound above is about crashes: a checkpoint renamed into place survives
/// the process. Only some saves are also fsynced — one per <see cref="ReplayerOptions.DurableCheckpointInterval"/>
/// and the clean one of a graceful stop — because the next write waits for the save, and an fsync (which
/// on ext4 also pushes the target's dirty pages) made that wait the replay's largest cost: 1012 of them,
/// 0.58 s, in a replay of 10^6 entries. After a power loss the replay resumes from at most about a
/// second earlier (duplicates, never a skip).</para>
/// <para><b>Overlap.</b> A durable save runs in the background while the next lines are read and
/// decoded; the next write to the target waits for it. Any other save is one small write in place
/// (<see cref="CheckpointStore"/>), done inline: waiting for a background task cost more than the
/// write. So at any moment at most one commit's worth of records
/// lies beyond the saved checkpoint — the bound above holds — and a failed save fails the attempt.
/// Reading and decoding run ahead on their own task (<see cref="Session"/>'s decoder): chunks of
/// decoded lines wait in a bounded channel of about one write batch, so the next batch is decoded
/// while the previous one is written. The decoder only decodes; everything that decides or records
/// something — batches, commits and their positions, blank and bad lines, the quarantine, counters,
/// the speed limit and stop requests — happens as lines are taken from the channel, exactly as if
/// they were read there, so lines decoded ahead and not taken when the attempt ends count for nothing.</para>
/// <para><b>Cadence.</b> A commit happens every <c>checkpoint_every_lines</c> lines and, while lines
/// are pending, at least every <see cref="ReplayerOptions.CheckpointInterval"/> — also before a
/// speed-limit wait that would cross it. Write batches are at most the sink group's
/// <c>batch_size</c> and never span a checkpoint.</para>
/// <para><b>Memory</b> is one line buffer plus about two batches of records (the one being written and
/// the one decoded ahead), whatever the file's size. The records themselves are reused: each chunk's
/// come from a <see cref="RecordLease"/>, released once a commit has flushed every record of the chunk,
/// and so are the char arrays their strings slice (<see cref="RecordLease.RentChars"/>), so a replay
/// allocates nothing per entry on its fast path (and the garbage collector has next to nothing to do). A backend call abandoned after its timeout may still read records it was
/// given, so from then on this sink's records are left to the garbage collector instead.</para>
/// </remarks>
internal sealed class Replayer
{
    private const int WarnBadLinesPerFile = 5;

    private readonly ReplayerOptions _options;
    private readonly CheckpointStore _checkpoints;
    private readonly RecoveryCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    /// <summary>
    /// Per file: a position whose records were flushed to the target but whose checkpoint could not be
    /// saved. The next attempt saves it first and resumes there, so a checkpoint fault costs no duplicates
    /// within a run (after a crash: at most <c>checkpoint_every_lines</c>, as always).
    /// </summary>
    private readonly Dictionary<string, FilePosition> _delivered = new(StringComparer.Ordinal);

    /// <summary>Records the decoder fills, one lease per chunk, reused once a commit has flushed them.</summary>
    private readonly RecordPool _recordPool = new();

    /// <summary>Files replayed whole whose delete runs in the background, by file name (see <see cref="SettleDeletesAsync"/>).</summary>
    private readonly Dictionary<string, (RescueCandidate File, Task Delete)> _deleting = new(StringComparer.Ordinal);

    /// <param name="options">Cadence, speed limit, rescue folder.</param>
    /// <param name="checkpoints">The loaded checkpoint store.</param>
    /// <param name="counters">Run-wide counters (pick row of the stat table).</param>
    /// <param name="time">Clock for the speed limit and the checkpoint interval.</param>
    /// <param name="log">Logger with <c>SourceContext = recover</c>.</param>
    public Replayer(ReplayerOptions options, CheckpointStore checkpoints, RecoveryCounters counters, TimeProvider time, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CheckpointEveryLines);
        _options = options;
        _checkpoints = checkpoints;
        _counters = counters;
        _time = time;
        _log = log;
    }

    /// <summary>Test seam: called at each commit, after the flush, with the position about to be saved.</summary>
    internal Action<FilePosition>? Committed { get; init; }

    /// <summary>Test seam: deletes a replayed file (default <see cref="File.Delete"/>).</summary>
    internal Action<string> DeleteFile { get; init; } = File.Delete;

    /// <summary>True from the end of <paramref name="fileName"/>'s replay until its delete is settled: it must not be picked again.</summary>
    public bool IsBeingDeleted(string fileName) => _deleting.ContainsKey(fileName);

    /// <summary>
    /// Ends the background deletes that are done — all of them, waiting, when <paramref name="wait"/> — and
    /// clears each deleted file's checkpoint. Returns the files that could not be deleted: they keep their
    /// checkpoint at their end, so a later attempt sends nothing and deletes them again.
    /// </summary>
    public async Task<IReadOnlyList<RescueCandidate>> SettleDeletesAsync(bool wait)
    {
        List<RescueCandidate>? failed = null;
        foreach (var (name, (file, delete)) in _deleting.ToList())
        {
            if (!wait && !delete.IsCompleted)
            {
                continue;
            }

            _deleting.Remove(name);
            try
            {
                await delete;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Error("recover {Path:l}: replayed whole, but deleting it failed: {Error:l}; it stays, with its checkpoint at its end (nothing is sent again)", file.Path, ex.Message);
                (failed ??= []).Add(file);
                continue;
            }

            try
            {
                _checkpoints.Clear(name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The file is gone: its stale entry is pruned by the next scan.
                _log.Error("recover checkpoint {Path:l} could not be written: {Error:l}", _checkpoints.FilePath, ex.Message);
            }
        }

        return failed ?? [];
    }

    /// <summary>
    /// Replays <paramref name="file"/> into <paramref name="target"/> until its end, a stop request, or a
    /// failure. Does not throw for target or I/O failures (see <see cref="ReplayStatus"/>); an in-flight
    /// batch is never abandoned — the stop token is only checked between batches and speed-limit waits.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(RescueCandidate file, ReplayTarget target, CancellationToken stop)
    {
        _log.Information("recover begin! file : {Path:l}", file.Path);
        FileStream? stream = null;
        long size;
        FilePosition? start;
        try
        {
            // Never through a symlink, never a FIFO or device (see PlainFiles): only what is in rescue_root.
            stream = PlainFiles.OpenRegular(file.Path, write: false, out var refused);
            if (stream is null)
            {
                return Refuse(file, $"{refused}: only regular files in the rescue folder are replayed");
            }

            size = stream.Length;
            start = StartPosition(file, size, stream, out var misfit);
            if (start is null)
            {
                stream.Dispose();
                return Refuse(file, misfit!);
            }

            if (_delivered.TryGetValue(file.FileName, out var delivered))
            {
                if (delivered.Size == size && delivered.Offset > start.Value.Offset)
                {
                    // Those lines are already in the target (flushed): their checkpoint is what failed. Save it
                    // now, before anything is sent again, so a checkpoint fault never re-sends records.
                    _checkpoints.Save(delivered);
                    _log.Information("recover {Path:l}: checkpoint saved at line {Lines} (byte {Offset}) after an earlier failure; nothing re-sent", file.Path, delivered.Lines, delivered.Offset);
                    start = delivered;
                }

                _delivered.Remove(file.FileName);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            return LocalFailure(file, new FilePosition(file.FileName, 0, 0, 0), false, ex);
        }

        using var session = new Session(this, file, target, start.Value, size, stream);
        return await session.RunAsync(stop);
    }

    /// <summary>
    /// The checkpointed position of <paramref name="file"/> if it still applies, else the start; null (with
    /// the reason) when a checkpoint exists that does not fit the file — replaying it from the start could
    /// re-send what was delivered, resuming could skip or split lines, so the file is left for the operator.
    /// </summary>
    private FilePosition? StartPosition(RescueCandidate file, long size, FileStream stream, out string? misfit)
    {
        misfit = null;
        var fresh = new FilePosition(file.FileName, 0, 0, size);
        if (!_checkpoints.TryGet(file.FileName, out var saved))
        {
            return fresh;
        }

        if (saved.Size != size || saved.Offset > size || (saved.Offset > 0 && !EndsLineAt(stream, saved.Offset)))
        {
            misfit = $"its checkpoint does not fit the file (checkpoint: byte {saved.Offset} of {saved.Size}; file: {size} bytes): "
                + "replaying from the start would re-send delivered records; move the file away or remove its checkpoint entry from "
                + _checkpoints.FilePath;
            return null;
        }

        if (saved.Offset > 0)
        {
            if (saved.Clean)
            {
                _log.Information("recover resume {Path:l} at line {Lines} (byte {Offset}) after a clean stop", file.Path, saved.Lines, saved.Offset);
            }
            else
            {
                _log.Warning(
                    "recover resume {Path:l} at line {Lines} (byte {Offset}): the previous attempt ended without a final checkpoint (crash or target failure), so up to {Max} records after it may be delivered twice",
                    file.Path,
                    saved.Lines,
                    saved.Offset,
                    _options.CheckpointEveryLines);
            }
        }

        return saved with { Size = size };
    }

    private ReplayResult Refuse(RescueCandidate file, string reason)
    {
        _log.Error("recover skip: {Path:l}: {Reason:l}", file.Path, reason);
        return new ReplayResult(ReplayStatus.Refused, new FilePosition(file.FileName, 0, 0, 0), false, reason);
    }

    private static bool EndsLineAt(FileStream stream, long offset)
    {
        Span<byte> one = stackalloc byte[1];
        return RandomAccess.Read(stream.SafeFileHandle, one, offset - 1) == 1 && one[0] == (byte)'\n';
    }

    private ReplayResult LocalFailure(RescueCandidate file, FilePosition position, bool progressed, Exception ex)
    {
        _log.Error("recover {Path:l}: {Error:l}; the file stays at line {Lines} (byte {Offset})", file.Path, ex.Message, position.Lines, position.Offset);
        return new ReplayResult(ReplayStatus.LocalFailure, position, progressed, ex.Message);
    }

    /// <summary>The state of one replay attempt of one file.</summary>
    private sealed class Session : IDisposable
    {
        private readonly Replayer _owner;
        private readonly RescueCandidate _file;
        private readonly ReplayTarget _target;
        private readonly FilePosition _start;
        private readonly long _size;
        private readonly List<Record> _batch;
        private readonly int _batchSize;
        private FilePosition _committed; // the last position saved to disk
        private FilePosition _decided;   // the last position handed to a save (== _committed once it is done)
        private Task _saving = Task.CompletedTask;
        private long _lineNo;
        private int _linesSinceCommit;
        private long _lastCommit;
        private long _lastDurable;
        private bool _eof;
        private long _records;
        private long _uncommittedEntries;
        private long _blank;
        private long _bad;
        private RescueLineReader? _reader;
        private long _offset; // byte offset just past the last line taken from the decoder
        private Channel<DecodedChunk>? _decoded;
        private readonly ConcurrentQueue<DecodedChunk> _freeChunks = new();
        private DecodedChunk? _chunk; // the chunk lines are being taken from
        private readonly List<RecordLease> _takenLeases = []; // records of chunks taken whole: free after the next flush
        private int _chunkNext;
        private Task _decoder = Task.CompletedTask;
        private CancellationTokenSource? _decoderStop;
        private Exception? _decoderError;
        private BadLineQuarantine? _quarantine;
        private FileStream? _stream;

        public Session(Replayer owner, RescueCandidate file, ReplayTarget target, FilePosition start, long size, FileStream stream)
        {
            _stream = stream;
            _owner = owner;
            _file = file;
            _target = target;
            _start = start;
            _size = size;
            _committed = start;
            _decided = start;
            _lineNo = start.Lines;
            _offset = start.Offset;
            _batchSize = Math.Max(1, Math.Min(target.BatchSize, owner._options.CheckpointEveryLines));
            _batch = new List<Record>(_batchSize);
        }

        private ReplayerOptions Options => _owner._options;

        /// <summary>Closes the file and the quarantine. Does not throw: the quarantine was synced by the last commit.</summary>
        public void Dispose()
        {
            // The decoder is stopped (RunAsync's finally) before the reader it uses is closed.
            _decoderStop?.Dispose();
            _decoderStop = null;
            _reader?.Dispose();
            _reader = null;
            _stream?.Dispose();
            _stream = null;
            try
            {
                _quarantine?.Dispose();
            }
            catch (IOException ex)
            {
                _owner._log.Error("recover {Path:l}: closing the quarantine file failed: {Error:l}", _file.Path, ex.Message);
            }

            _quarantine = null;
        }

        private bool Progressed => _committed.Offset > _start.Offset;

        public async Task<ReplayResult> RunAsync(CancellationToken stop)
        {
            string? badFile = null;
            try
            {
                _reader = new RescueLineReader(_stream!, _start.Offset, _size); // never past the size replay began with
                _stream = null; // the reader owns it now
                _quarantine = new BadLineQuarantine(Options.BadFolder, _file.FileName);
                badFile = _quarantine.FilePath;
                bool finished;
                try
                {
                    StartDecoder();
                    finished = await SendAllAsync(stop);
                }
                finally
                {
                    await StopDecoderAsync();
                }

                await _saving; // the last checkpoint is on disk before anything else happens
                if (!finished)
                {
                    return new ReplayResult(ReplayStatus.Stopped, _committed, Progressed, null);
                }

                // Ship, then checkpoint (done: at end of file), then make the target durable (a power
                // loss must not take records whose only other copy was this file), then delete — unless
                // the file changed meanwhile: what was added after the replay began is only in the file,
                // so it is kept (its checkpoint, at the old end, no longer fits it: refused, not re-sent).
                await _target.SyncAsync(CancellationToken.None);
                Dispose(); // close the file before deleting it (required on Windows)
                var now = new FileInfo(_file.Path).Length;
                if (now != _size)
                {
                    return _owner.Refuse(_file, $"it changed while being replayed ({_size} -> {now} bytes); kept, with its checkpoint at byte {_size}: move the file away or remove its checkpoint entry from {_owner._checkpoints.FilePath}");
                }

                // Unlinking a large file takes a while (~13 ms for 67 MB, most of it dropping its cached
                // pages): done in the background while the next file is replayed. Its checkpoint, at end of
                // file, is cleared once the delete is done; a crash before that leaves a file whose next
                // attempt sends nothing and deletes it.
                var path = _file.Path;
                var delete = _owner.DeleteFile;
                _owner._deleting[_file.FileName] = (_file, Task.Run(() => delete(path), CancellationToken.None));
            }
            catch (SinkFailedException ex)
            {
                await SettleSavingAsync();
                _owner._counters.AddTargetFailure();
                return new ReplayResult(ReplayStatus.TargetFailed, _committed, Progressed, ex.Message, SinkUnavailableException.RetryAfterOf(ex));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await SettleSavingAsync();
                if (_decided.Offset > _committed.Offset)
                {
                    // The records up to _decided were flushed; only their checkpoint is missing (see _delivered).
                    _owner._delivered[_file.FileName] = _decided;
                }

                return _owner.LocalFailure(_file, _committed, Progressed, ex);
            }

            _owner._counters.AddFileDone();
            var log = _owner._log;
            if (_blank > 0 || _bad > 0)
            {
                log.Warning(
                    "recover file {Path:l}: {Records} records sent, {Blank} blank lines skipped, {Bad} bad lines skipped{Where:l}",
                    _file.Path,
                    _records,
                    _blank,
                    _bad,
                    _bad > 0 ? " (kept in " + badFile + ")" : string.Empty);
            }
            else
            {
                log.Information("recover file {Path:l}: {Records} records sent", _file.Path, _records);
            }

            log.Information("recover end! clean file : {Path:l}", _file.Path);
            return new ReplayResult(ReplayStatus.Completed, _committed, Progressed, null);
        }

        /// <summary>Sends every line; true at end of file (committed there), false when stopped (committed clean).</summary>
        private async Task<bool> SendAllAsync(CancellationToken stop)
        {
            var time = _owner._time;
            var limiter = new SpeedLimiter(Options.SpeedLimit, time); // per attempt: no burst credit from idle time
            _lastCommit = time.GetTimestamp();
            _lastDurable = _lastCommit;
            while (true)
            {
                if (stop.IsCancellationRequested)
                {
                    await CommitAsync(clean: true);
                    return false;
                }

                var want = Math.Min(Options.CheckpointEveryLines - _linesSinceCommit, _batchSize - _batch.Count);
                var granted = limiter.Grant(Math.Max(1, want));
                if (granted == 0)
                {
                    var wait = limiter.DelayUntilNext();
                    if (_linesSinceCommit > 0 && time.GetElapsedTime(_lastCommit) + wait >= Options.CheckpointInterval)
                    {
                        await CommitAsync(clean: false); // do not sit on unflushed records through the wait
                    }

                    try
                    {
                        await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), time, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        // Handled at the top of the loop: commit and stop.
                    }

                    continue;
                }

                _linesSinceCommit += await ReadLinesAsync(granted);
                if (_batch.Count >= _batchSize)
                {
                    await WriteBatchAsync();
                }

                if (_eof)
                {
                    await CommitAsync(clean: false);
                    return true;
                }

                if (_linesSinceCommit >= Options.CheckpointEveryLines || time.GetElapsedTime(_lastCommit) >= Options.CheckpointInterval)
                {
                    await CommitAsync(clean: false);
                }
            }
        }

        /// <summary>Takes up to <paramref name="max"/> lines from the decoder, decoded entries into the batch. Returns lines taken.</summary>
        private async ValueTask<int> ReadLinesAsync(int max)
        {
            var counters = _owner._counters;
            var read = 0;
            long entries = 0;
            while (read < max)
            {
                if (_chunk is null || _chunkNext == _chunk.Count)
                {
                    if (_chunk is not null)
                    {
                        _takenLeases.Add(_chunk.Lease!);
                        _chunk.Clear();
                        _freeChunks.Enqueue(_chunk);
                        _chunk = null;
                    }

                    if (_decoded!.Reader.TryRead(out var next))
                    {
                        (_chunk, _chunkNext) = (next, 0);
                        continue;
                    }

                    if (await _decoded.Reader.WaitToReadAsync())
                    {
                        continue;
                    }

                    if (_decoderError is { } error)
                    {
                        ExceptionDispatchInfo.Throw(error); // a read failure, where the reading reached
                    }

                    _eof = true;
                    break;
                }

                var i = _chunkNext++;
                var chunk = _chunk;
                read++;
                _lineNo++;
                _offset = chunk.OffsetAfter[i];
                switch (chunk.Kinds[i])
                {
                    case DecodedKind.Entry:
                        _batch.Add(chunk.Records[i]!);
                        entries++;
                        continue;
                    case DecodedKind.OverLong:
                        {
                            var reason = $"line longer than {RescueLineReader.MaxLineBytes} bytes (its first {RescueLineReader.MaxLineBytes} bytes are kept here)";
                            _quarantine!.Write(_lineNo, reason, chunk.Bytes[i]);
                            counters.AddBad();
                            if (++_bad <= WarnBadLinesPerFile)
                            {
                                _owner._log.Warning("recover {Path:l}: line {Line} is {Error:l}; moved to {Bad:l}", _file.Path, _lineNo, reason, _quarantine.FilePath);
                            }

                            continue;
                        }

                    case DecodedKind.Blank:
                        if (_blank++ == 0)
                        {
                            _owner._log.Warning("recover {Path:l}: blank line {Line} skipped (blank lines are counted, warned once per file)", _file.Path, _lineNo);
                        }

                        counters.AddBlank();
                        continue;
                    default:
                        {
                            var error = chunk.Errors[i];
                            _quarantine!.Write(_lineNo, error!, chunk.Bytes[i]);
                            counters.AddBad();
                            if (++_bad <= WarnBadLinesPerFile)
                            {
                                _owner._log.Warning("recover {Path:l}: line {Line} is not a valid entry ({Error:l}); moved to {Bad:l}", _file.Path, _lineNo, error, _quarantine.FilePath);
                            }

                            continue;
                        }
                }
            }

            counters.AddLines(read, entries);
            _records += entries;
            _uncommittedEntries += entries;
            return read;
        }

        /// <summary>
        /// Starts reading and decoding ahead: chunks of <see cref="DecodedChunk.Lines"/> lines, about one
        /// write batch of them queued. Decoding only: nothing is counted, logged or quarantined there.
        /// </summary>
        private void StartDecoder()
        {
            var chunks = Math.Clamp((_batchSize + DecodedChunk.Lines - 1) / DecodedChunk.Lines, 1, 16) + 1;
            _decoded = Channel.CreateBounded<DecodedChunk>(new BoundedChannelOptions(chunks)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
            });
            _decoderStop = new CancellationTokenSource();
            var reader = _reader!;
            var pool = _owner._recordPool;
            var writer = _decoded.Writer;
            var token = _decoderStop.Token;
            _decoder = Task.Run(async () =>
            {
                try
                {
                    var end = false;
                    while (!end)
                    {
                        var chunk = _freeChunks.TryDequeue(out var free) ? free : new DecodedChunk();
                        try
                        {
                            end = !chunk.Fill(reader, pool.Take());
                        }
                        catch (Exception ex)
                        {
                            // Seen by the taker once it has taken every line before the failure (as if read there).
                            _decoderError = ex;
                            end = true;
                        }

                        if (chunk.Count > 0)
                        {
                            await writer.WriteAsync(chunk, token);
                        }
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Stopped: whatever was decoded ahead and not taken counts for nothing.
                }
                finally
                {
                    writer.TryComplete();
                }
            });
        }

        /// <summary>Stops the decoder and waits for it, so the reader it uses can be closed.</summary>
        private async Task StopDecoderAsync()
        {
            if (_decoderStop is null)
            {
                return;
            }

            await _decoderStop.CancelAsync();
            await _decoder; // never throws: failures are kept in _decoderError
        }

        private async ValueTask WriteBatchAsync()
        {
            if (_batch.Count == 0)
            {
                return;
            }

            await _saving; // nothing goes out past a checkpoint that is not on disk yet (keeps the duplicate bound)
            _target.AddSent(_batch.Count);
            await _target.Runtime.WriteAsync(_batch, CancellationToken.None); // never abandon a batch half-way
            _batch.Clear();
        }

        /// <summary>
        /// Write → flush → sync quarantine → checkpoint: the order is the guarantee (see class remarks).
        /// A durable save runs in the background while the next lines are read and decoded; the next
        /// write and the next save wait for it (and fail if it failed). Any other save is done here.
        /// </summary>
        private async ValueTask CommitAsync(bool clean)
        {
            await WriteBatchAsync();
            var offset = _offset;
            if (offset != _decided.Offset || (clean && !_decided.Clean && offset > 0))
            {
                await _target.Runtime.FlushAsync(CancellationToken.None);
                ReleaseTakenRecords();
                _quarantine!.Sync();
                var position = new FilePosition(_file.FileName, offset, _lineNo, _size, clean);
                await _saving;
                _owner.Committed?.Invoke(position);
                _owner._counters.AddReplayed(position.Lines - _decided.Lines, _uncommittedEntries);
                _target.AddReplayed(_uncommittedEntries);
                _uncommittedEntries = 0;
                _decided = position;
                var durable = clean || _owner._time.GetElapsedTime(_lastDurable) >= Options.DurableCheckpointInterval;
                if (durable)
                {
                    _lastDurable = _owner._time.GetTimestamp();
                }

                void Save()
                {
                    _owner._checkpoints.Save(position, durable);
                    _committed = position;
                }

                if (durable)
                {
                    _saving = Task.Run(Save);
                }
                else
                {
                    Save();
                }
            }

            _linesSinceCommit = 0;
            _lastCommit = _owner._time.GetTimestamp();
        }

        /// <summary>
        /// After a flush: the records of every chunk taken whole are written and flushed, so the decoder may
        /// fill them again — unless a backend call was abandoned after its timeout and may still read them;
        /// those are left to the garbage collector (see <see cref="RecordLease"/>).
        /// </summary>
        private void ReleaseTakenRecords()
        {
            if (_target.Runtime.AbandonedCalls == 0)
            {
                foreach (var lease in _takenLeases)
                {
                    lease.Release();
                }
            }

            _takenLeases.Clear();
        }

        /// <summary>Waits for a save in flight after a failure; its own failure only means the older position stands.</summary>
        private async Task SettleSavingAsync()
        {
            try
            {
                await _saving;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _owner._log.Error("recover checkpoint {Path:l} could not be written: {Error:l}", _owner._checkpoints.FilePath, ex.Message);
            }
        }
    }

    /// <summary>What the decoder made of one line.</summary>
    private enum DecodedKind : byte
    {
        Entry,
        Blank,
        Bad,
        OverLong,
    }

    /// <summary>Lines read and decoded ahead of the replay loop; reused once taken.</summary>
    private sealed class DecodedChunk
    {
        public const int Lines = 256;

        public readonly DecodedKind[] Kinds = new DecodedKind[Lines];
        public readonly long[] OffsetAfter = new long[Lines];
        public readonly Record?[] Records = new Record?[Lines];
        public readonly string?[] Errors = new string?[Lines];
        public readonly byte[]?[] Bytes = new byte[]?[Lines]; // bad and over-long lines only (for the quarantine)

        public int Count { get; private set; }

        /// <summary>Where <see cref="Records"/> come from; the taker releases it once they are flushed.</summary>
        public RecordLease? Lease { get; private set; }

        /// <summary>Reads and decodes up to <see cref="Lines"/> lines into records of <paramref name="lease"/>; false once the reader is at its end.</summary>
        public bool Fill(RescueLineReader reader, RecordLease lease)
        {
            Lease = lease;
            while (Count < Lines)
            {
                if (!reader.TryReadLine(out var line, out _, out var overLong))
                {
                    return false;
                }

                var i = Count++;
                OffsetAfter[i] = reader.Offset;
                if (overLong)
                {
                    Kinds[i] = DecodedKind.OverLong;
                    Bytes[i] = line.ToArray();
                }
                else if (line.Trim(" \t\r"u8).IsEmpty)
                {
                    Kinds[i] = DecodedKind.Blank;
                }
                else if (RescueEntryCodec.TryDecode(line, lease, out var record, out var error))
                {
                    Kinds[i] = DecodedKind.Entry;
                    Records[i] = record;
                }
                else
                {
                    Kinds[i] = DecodedKind.Bad;
                    Errors[i] = error;
                    Bytes[i] = line.ToArray();
                }
            }

            return true;
        }

        /// <summary>Lets go of what the chunk held, for reuse.</summary>
        public void Clear()
        {
            Array.Clear(Records, 0, Count);
            Array.Clear(Errors, 0, Count);
            Array.Clear(Bytes, 0, Count);
            Count = 0;
            Lease = null;
        }
    }
}
