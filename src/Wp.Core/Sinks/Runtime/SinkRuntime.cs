using Serilog;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Timing;

namespace Wp.Core.Sinks.Runtime;

/// <summary>
/// Owns one sink's primary backend and everything that can go wrong with it (README "wprescue"; docs/configuration.md, sink groups;
/// ARCHITECTURE practices 1–2): a failed batch is handled by the group's strategy, and under
/// <c>fix_retry</c> rescue files are the last link of the chain — the whole failed batch and every
/// later one go there until a background probe finds the primary healthy again.
/// </summary>
/// <remarks>
/// <para>Callers: one task per sink calls <see cref="WriteAsync"/> and <see cref="FlushAsync"/>
/// sequentially; <see cref="Stats"/> and <see cref="IsDiverting"/> may be read from any thread.</para>
/// <para><b>Swap and probe synchronisation.</b> The invariant: at any moment exactly one party
/// uses the primary — the writer side while <c>_diverting</c> is false, the probe loop while it is
/// true — and <c>_diverting</c>, the rescue writer and every counter change only under
/// <c>_gate</c>. The writer side (Write/Flush/Dispose) holds <c>_gate</c> for a whole call. The
/// writer turns diversion on (under the gate) and only then starts the probe loop. The probe
/// calls <see cref="ISinkBackend.ProbeAsync"/> <i>without</i> the gate, so a slow or hanging probe
/// never holds up writes into the rescue file; after a successful probe it takes the gate, seals
/// the rescue file and clears <c>_diverting</c>, and ends. The next writer call sees the flag under
/// the same gate (a happens-before edge) and goes to the primary, which the probe no longer
/// touches. So a batch goes wholly to the primary or wholly to rescue, a swap-back never happens
/// mid-batch, and the rescue file is sealed promptly even when no more batches arrive.</para>
/// </remarks>
internal sealed class SinkRuntime : IAsyncDisposable
{
    private readonly SinkRuntimeOptions _options;
    private readonly ISinkBackend _primary;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IErrorGroupForwarder? _tolerant;
    private readonly RescueWriter _rescue;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<IReadOnlyList<Record>> _unflushed = [];
    private long _abandonedCalls;
    private volatile bool _diverting;
    private Task _probe = Task.CompletedTask;
    private bool _disposed;
    private int _disposeStarted;

    /// <param name="options">Sink name, strategy, rescue settings, probe backoff.</param>
    /// <param name="primary">The backend; the runtime owns and disposes it.</param>
    /// <param name="time">Clock for rescue file names and probe delays.</param>
    /// <param name="log">Logger; lines carry <c>SourceContext = sink</c>.</param>
    /// <param name="tolerant">Receives failed batches under <c>tolerant</c>; required for that strategy.</param>
    public SinkRuntime(
        SinkRuntimeOptions options,
        ISinkBackend primary,
        TimeProvider time,
        ILogger log,
        IErrorGroupForwarder? tolerant = null)
    {
        if (options.DivertOnFailure && options.OnError == OnError.Tolerant && tolerant is null)
        {
            throw new ArgumentException($"sink {options.SinkName}: a tolerant sink needs an error-group forwarder", nameof(tolerant));
        }

        try
        {
            _ = new JitteredBackoff(options.ProbeInitial, options.ProbeMax, time, options.ProbeJitter);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"sink {options.SinkName}: probe {ex.Message}", nameof(options));
        }

        _options = options;
        _primary = primary;
        _time = time;
        _log = log.ForContext("SourceContext", "sink");
        _tolerant = tolerant;
        _rescue = new RescueWriter(options.RescueRoot, options.SinkName, options.MaxFileBytes, time);
    }

    /// <summary>The folder inside rescue_root where a sink without an error group keeps the records its destination refused.</summary>
    public const string RejectedFolderName = "rejected";

    public string SinkName => _options.SinkName;

    public SinkRuntimeStats Stats { get; } = new();

    /// <summary>True while batches go to rescue files instead of the primary.</summary>
    public bool IsDiverting => _diverting;

    /// <summary>
    /// The current probe loop: completes when it has swapped back (or at shutdown). Lets tests
    /// wait for a swap-back instead of sleeping.
    /// </summary>
    internal Task ProbeTask => _probe;

    /// <summary>Whether the backend takes a batch as several writes committed by one flush (<see cref="ISinkBackend.StreamsBatches"/>).</summary>
    public bool StreamsBatches => _primary.StreamsBatches;

    /// <summary>The open rescue file while diverting; otherwise null. For logs and tests.</summary>
    public string? CurrentRescueFile => _rescue.CurrentPath;

    /// <summary>
    /// Writes one batch — wholly to the primary, or, when that fails or the primary is down, per the
    /// strategy. With <see cref="SinkRuntimeOptions.DivertOnFailure"/> on, the runtime keeps a
    /// reference to a delivered batch until the next successful flush, so the caller must not
    /// reuse it; with it off (replay) the caller may reuse <paramref name="batch"/> once this returns.
    /// </summary>
    /// <returns>Where the batch went.</returns>
    /// <exception cref="SinkFailedException"><c>throw</c> strategy and the primary failed (the failed batch is kept in a rescue file when possible; the message says where); or, with <see cref="SinkRuntimeOptions.DivertOnFailure"/> off, the primary failed (nothing stored; the batch may be partly written).</exception>
    /// <exception cref="RescueUnavailableException">The batch had to be diverted and rescue storage failed; the message says how many records could not be stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the batch may be neither delivered nor stored — cancel only to abandon.</exception>
    public async ValueTask<SinkWriteOutcome> WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_diverting)
            {
                Divert(batch);
                return SinkWriteOutcome.Diverted;
            }

            try
            {
                await WithTimeoutAsync(_primary.WriteAsync(batch, cancellationToken), "write", cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (SinkRecordsRejectedException rejected)
            {
                // Bad data, not an outage (docs/configuration.md, database sinks): the rest of the batch is written.
                Stats.AddDelivered(batch.Count - rejected.Rejected.Count);
                if (_options.DivertOnFailure)
                {
                    _unflushed.Add(Without(batch, rejected.Rejected));
                }

                await RejectAsync(rejected.Rejected, cancellationToken);
                return SinkWriteOutcome.Delivered;
            }
            catch (Exception ex)
            {
                // A backend that streams a batch aborts its open statement: what was written to it
                // since the last good flush fails together with this write.
                return await HandleWriteFailureAsync(_primary.StreamsBatches ? TakeUnflushed(batch) : batch, ex, cancellationToken);
            }

            Stats.AddDelivered(batch.Count);
            if (_options.DivertOnFailure)
            {
                // Kept until the next successful flush: a failing flush or later write diverts them too.
                _unflushed.Add(batch);
            }

            return SinkWriteOutcome.Delivered;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Flushes the primary when it is up. While diverting there is nothing to flush: each diverted
    /// batch is already written to the rescue file with one unbuffered write. A failed flush is a
    /// failure like a failed write: the batches delivered since the last successful flush are
    /// handled like a failed batch (under <c>fix_retry</c> diverted to a rescue file — safe to
    /// replay, may duplicate records the backend did store) and later batches are diverted.
    /// </summary>
    /// <exception cref="SinkFailedException"><c>throw</c> strategy, or <see cref="SinkRuntimeOptions.DivertOnFailure"/> off, and the flush failed.</exception>
    /// <exception cref="RescueUnavailableException">The flush failed and no rescue file could be opened.</exception>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => FlushPrimaryAsync(sync: false, cancellationToken);

    // Under the gate: the batches delivered since the last good flush may not have reached the
    // destination, so they are treated as one failed batch (moved from delivered to wherever the
    // strategy puts them). With nothing unflushed, nothing can be lost: the failure only counts.
    private async ValueTask HandleFlushFailureAsync(Exception ex, CancellationToken cancellationToken) =>
        await HandleWriteFailureAsync(TakeUnflushed([]), new SinkUnavailableException("flush failed: " + Describe(ex), ex), cancellationToken);

    // Under the gate: the records delivered since the last good flush, taken back from the
    // delivered count, followed by the failed batch.
    private List<Record> TakeUnflushed(IReadOnlyList<Record> failed)
    {
        var held = _unflushed.SelectMany(b => b).ToList();
        _unflushed.Clear();
        Stats.AddDelivered(-held.Count);
        held.AddRange(failed);
        return held;
    }

    private static List<Record> Without(IReadOnlyList<Record> batch, IReadOnlyList<RejectedRecord> rejected)
    {
        var refused = rejected.Select(r => r.Record).ToHashSet(ReferenceEqualityComparer.Instance);
        return batch.Where(r => !refused.Contains(r)).ToList();
    }

    // Under the gate, primary up. A destination that refuses the data of rows it took since the
    // last flush (a streamed statement) stores the rest; the refused rows go where rejected rows go.
    private async ValueTask CommitAsync(bool sync, CancellationToken cancellationToken)
    {
        try
        {
            if (sync)
            {
                await _primary.SyncAsync(cancellationToken);
            }
            else
            {
                await WithTimeoutAsync(_primary.FlushAsync(cancellationToken), "flush", cancellationToken);
            }
        }
        catch (SinkRecordsRejectedException rejected)
        {
            _unflushed.Clear();
            Stats.AddDelivered(-rejected.Rejected.Count);
            await RejectAsync(rejected.Rejected, cancellationToken);
            return;
        }

        _unflushed.Clear();
    }

    /// <summary>
    /// Flushes the primary and forces it to stable storage (fsync for a file). Replay mode uses it
    /// before deleting a replayed rescue file. A failure is handled like a failed flush.
    /// </summary>
    /// <exception cref="SinkFailedException">As for <see cref="FlushAsync"/>.</exception>
    public ValueTask SyncAsync(CancellationToken cancellationToken) => FlushPrimaryAsync(sync: true, cancellationToken);

    private async ValueTask FlushPrimaryAsync(bool sync, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_diverting)
            {
                return;
            }

            try
            {
                await CommitAsync(sync, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                await HandleFlushFailureAsync(ex, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops probing, flushes the primary if it is up, seals the rescue file, disposes the primary.
    /// Never throws: failures are logged (an unsealed <c>.dat.lock</c> is adopted by wprescue later).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync();
        await AwaitProbeAsync();
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await AwaitProbeAsync(); // one may have started while we waited for the gate; it is already cancelled
            if (!_diverting)
            {
                await FinalFlushAsync();
            }

            try
            {
                var sealedPath = _rescue.Seal();
                if (sealedPath is not null)
                {
                    _log.Information("sink {Sink:l} rescue file sealed at shutdown: {RescueFile:l}", SinkName, sealedPath);
                }
            }
            catch (RescueUnavailableException ex)
            {
                _log.Error("sink {Sink:l} could not seal its rescue file: {Reason:l}", SinkName, ex.Message);
            }
            finally
            {
                _rescue.Dispose();
            }

            try
            {
                await _primary.DisposeAsync();
            }
            catch (Exception ex)
            {
                _log.Warning("sink {Sink:l} dispose failed: {Reason:l}", SinkName, Describe(ex));
            }
        }
        finally
        {
            _gate.Release();
            _shutdown.Dispose();
        }
    }

    // Under the gate, at shutdown. A failing final flush is an outage like any other: what the
    // backend held goes to a rescue file (sealed just after), and only a real loss is an error.
    private async ValueTask FinalFlushAsync()
    {
        try
        {
            await CommitAsync(sync: false, CancellationToken.None);
            return;
        }
        catch (Exception ex)
        {
            if (_unflushed.Count == 0)
            {
                _log.Warning("sink {Sink:l} final flush failed: {Reason:l}; nothing was waiting to be flushed", SinkName, Describe(ex));
                return;
            }

            try
            {
                await HandleFlushFailureAsync(ex, CancellationToken.None);
            }
            catch (Exception fatal) when (fatal is SinkFailedException or RescueUnavailableException)
            {
                // Already logged as an error with the count of records not stored.
            }
            finally
            {
                _probe = Task.CompletedTask; // no probing at shutdown
            }
        }
    }

    // Called under the gate, with the primary just failed. batch may be empty (a failed flush).
    private async ValueTask<SinkWriteOutcome> HandleWriteFailureAsync(IReadOnlyList<Record> batch, Exception ex, CancellationToken cancellationToken)
    {
        Stats.AddFailure();
        var reason = Describe(ex);
        if (!_options.DivertOnFailure)
        {
            // Replay mode: the caller keeps the records and retries later; it logs the failure.
            throw new SinkFailedException(SinkName, $"sink {SinkName} failed: {reason}", ex);
        }

        switch (_options.OnError)
        {
            case OnError.Tolerant:
                _log.Warning(
                    "sink {Sink:l} failed: {Reason:l}; {Count} records sent to the error group",
                    SinkName,
                    reason,
                    batch.Count);
                if (batch.Count > 0)
                {
                    await _tolerant!.ForwardAsync(batch, $"sink {SinkName} failed: {reason}", cancellationToken);
                    Stats.AddToError(batch.Count);
                }

                return SinkWriteOutcome.ToErrorGroup;

            case OnError.Throw:
                throw FailForThrowStrategy(batch, reason, ex);

            default:
                var path = OpenRescue(batch, reason);
                _log.Warning("sink {Sink:l} failed: {Reason:l}; diverting to {RescueFile:l}", SinkName, reason, path);
                Divert(batch);
                _diverting = true;
                _probe = ProbeLoopAsync(ex, _shutdown.Token); // runs to its first delay and returns
                return SinkWriteOutcome.Diverted;
        }
    }

    // Records the destination refused for their content go to the error group, each tagged with the
    // destination's message. Without an error group (an infra sink, or wprescue) they are kept as
    // rescue entries in rescue_root/rejected/ (KeepRejected); only if even that fails are they
    // logged one per line with their fields, so that nothing disappears unseen.
    private async ValueTask RejectAsync(IReadOnlyList<RejectedRecord> rejected, CancellationToken cancellationToken)
    {
        foreach (var group in rejected.GroupBy(r => r.Reason, StringComparer.Ordinal))
        {
            var records = group.Select(r => r.Record).ToList();
            _log.Warning("sink {Sink:l} rejected {Count} record(s): {Reason:l}", SinkName, records.Count, group.Key);
            if (_tolerant is not null)
            {
                await _tolerant.ForwardAsync(records, $"sink {SinkName} rejected the record: {group.Key}", cancellationToken);
                Stats.AddToError(records.Count);
                continue;
            }

            try
            {
                var path = KeepRejected(records);
                _log.Error(
                    "sink {Sink:l} has no error group: the {Count} rejected record(s) are kept in {Path:l}; once the destination takes them, move the file into the rescue folder and wprescue replays it",
                    SinkName, records.Count, path);
            }
            catch (RescueUnavailableException ex)
            {
                foreach (var record in records)
                {
                    _log.Error("sink {Sink:l} rejected a record, has no error group and cannot keep it ({Error:l}): {Reason:l}; record: {Record:l}", SinkName, ex.Message, group.Key, record.ToString());
                }
            }

            Stats.AddToError(records.Count);
        }
    }

    /// <summary>Writes refused records as one sealed rescue file in <c>rescue_root/rejected/</c>; returns its path.</summary>
    /// <remarks>
    /// A rescue file, so nothing is lost and the same tools read it; outside the rescue folder, so
    /// wprescue does not replay it by itself (the destination would refuse it again).
    /// </remarks>
    private string KeepRejected(IReadOnlyList<Record> records)
    {
        using var writer = new RescueWriter(Path.Combine(_options.RescueRoot, RejectedFolderName), SinkName, long.MaxValue, _time);
        writer.Write(records);
        return writer.Seal()!;
    }

    // throw strategy: the engine stops, but the failed batch is still kept in a rescue file when
    // possible, so that no strategy loses records (docs/configuration.md, `on_error`: no strategy drops data silently).
    private SinkFailedException FailForThrowStrategy(IReadOnlyList<Record> batch, string reason, Exception ex)
    {
        var message = $"sink {SinkName} failed: {reason}";
        if (batch.Count > 0)
        {
            try
            {
                var path = _rescue.Open();
                _rescue.Write(batch);
                Stats.AddDiverted(batch.Count);
                message += $"; the failed batch of {batch.Count} records was kept in {path}";
            }
            catch (RescueUnavailableException rescueError)
            {
                Stats.AddDiverted(rescueError.PartlyStored);
                Stats.AddNotStored(batch.Count - rescueError.PartlyStored);
                message += $"; {batch.Count - rescueError.PartlyStored} records could not be stored: {rescueError.Message}";
            }
        }

        _log.Error("{Message:l}", message);
        return new SinkFailedException(SinkName, message, ex);
    }

    private string OpenRescue(IReadOnlyList<Record> batch, string reason)
    {
        try
        {
            return _rescue.Open();
        }
        catch (RescueUnavailableException ex)
        {
            throw NotStored(batch.Count, ex, reason);
        }
    }

    // Under the gate. Writes the whole batch to the rescue file (rotating past max_file_bytes).
    private void Divert(IReadOnlyList<Record> batch)
    {
        try
        {
            _rescue.Write(batch);
        }
        catch (RescueUnavailableException ex)
        {
            Stats.AddDiverted(ex.PartlyStored);
            throw NotStored(batch.Count - ex.PartlyStored, ex, reason: null);
        }

        Stats.AddDiverted(batch.Count);
    }

    private RescueUnavailableException NotStored(int count, RescueUnavailableException ex, string? reason)
    {
        Stats.AddNotStored(count);
        var withCount = ex.WithRecordsNotStored(count);
        _log.Error(
            "sink {Sink:l} {Failure:l}cannot divert: {Error:l}",
            SinkName,
            reason is null ? string.Empty : $"failed: {reason}; ",
            withCount.Message);
        return withCount;
    }

    /// <summary>
    /// Probes the primary with jittered exponential backoff until a probe succeeds, then swaps back under
    /// the gate; a failure that says when the backend will be back sets the next wait instead. Runs
    /// synchronously up to its first delay, so the first probe timer exists as soon as the diverting
    /// write returns.
    /// </summary>
    /// <param name="cause">The failure of the write that started the diversion.</param>
    private async Task ProbeLoopAsync(Exception cause, CancellationToken cancellationToken)
    {
        var backoff = new JitteredBackoff(_options.ProbeInitial, _options.ProbeMax, _time, _options.ProbeJitter, _options.ProbeRandom);
        var delay = backoff.Fail(SinkUnavailableException.RetryAfterOf(cause));
        try
        {
            while (true)
            {
                await Task.Delay(delay, _time, cancellationToken);
                try
                {
                    await _primary.ProbeAsync(cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    delay = backoff.Fail(SinkUnavailableException.RetryAfterOf(ex));
                    _log.Debug("sink {Sink:l} probe failed: {Reason:l}; next probe in {Delay}", SinkName, Describe(ex), delay);
                    continue;
                }

                await _gate.WaitAsync(cancellationToken);
                try
                {
                    SwapBack();
                }
                finally
                {
                    _gate.Release();
                }

                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: DisposeAsync seals the rescue file.
        }
        catch (Exception ex)
        {
            _log.Error(ex, "sink {Sink:l} probe loop failed; the sink keeps diverting until shutdown", SinkName);
        }
    }

    // Under the gate, after a successful probe.
    private void SwapBack()
    {
        string? sealedPath = null;
        try
        {
            sealedPath = _rescue.Seal();
        }
        catch (RescueUnavailableException ex)
        {
            // The records stay in the .dat.lock, which wprescue adopts once nobody holds it.
            _log.Error("sink {Sink:l} could not seal its rescue file: {Reason:l}", SinkName, ex.Message);
        }

        _diverting = false;
        _log.Information("sink {Sink:l} reconnect success; rescue file sealed: {RescueFile:l}", SinkName, sealedPath ?? "(none)");
    }

    private async Task AwaitProbeAsync()
    {
        try
        {
            await _probe;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits for a primary call at most <see cref="SinkRuntimeOptions.WriteTimeout"/>; past it, throws as a failure of the backend.</summary>
    private async ValueTask WithTimeoutAsync(ValueTask call, string what, CancellationToken cancellationToken)
    {
        if (call.IsCompletedSuccessfully)
        {
            return; // the common case: no task, no timer
        }

        var task = call.AsTask();
        try
        {
            await task.WaitAsync(_options.WriteTimeout, _time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            Interlocked.Increment(ref _abandonedCalls);
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe its late failure
            throw new SinkUnavailableException($"{what} did not finish within {(long)_options.WriteTimeout.TotalMilliseconds} ms (the backend hangs)", ex);
        }
    }

    /// <summary>
    /// Backend calls given up after <see cref="SinkRuntimeOptions.WriteTimeout"/> that may still be
    /// running, reading the records they were given. Safe to read from any thread.
    /// </summary>
    public long AbandonedCalls => Interlocked.Read(ref _abandonedCalls);

    private static string Describe(Exception ex) =>
        string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : ex.Message;
}
