using Wp.Core.Records;

namespace Wp.Core.Sinks;

/// <summary>
/// The whole contract of a sink backend: write a batch, flush, answer a health probe. Backends
/// throw on failure and never retry or divert — the sink runtime owns failure handling
/// (ARCHITECTURE practice 1).
/// </summary>
internal interface ISinkBackend : IAsyncDisposable
{
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
