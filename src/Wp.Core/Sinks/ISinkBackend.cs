using Wp.Core.Records;

namespace Wp.Core.Sinks;

/// <summary>
/// The whole contract of a sink backend: write a batch, flush, answer a health probe. Backends
/// throw on failure and never retry or divert — the sink runtime owns failure handling
/// (ARCHITECTURE practice 1).
/// </summary>
internal interface ISinkBackend : IAsyncDisposable
{
    /// <summary>
    /// True when a batch may reach the backend as several writes that the next flush commits
    /// together (one statement, sent while it fills). The sink worker then writes records as they
    /// arrive and flushes once per batch; the sink runtime keeps every write since the last flush
    /// and handles them as one failed batch when a later write or the flush fails.
    /// </summary>
    bool StreamsBatches => false;

    /// <summary>Writes every record of the batch, in order. Throws when the write fails.</summary>
    ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken);

    /// <summary>Pushes buffered output to its destination. Throws when that fails.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Flushes and forces what was written to stable storage, for backends that have a file (fsync);
    /// by default the same as <see cref="FlushAsync"/> (a database commit is already durable).
    /// Throws when that fails.
    /// </summary>
    ValueTask SyncAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    /// <summary>Completes when the backend could accept a write now; throws when it could not.</summary>
    ValueTask ProbeAsync(CancellationToken cancellationToken);
}
