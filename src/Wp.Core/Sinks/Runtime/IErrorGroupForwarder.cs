using Wp.Core.Records;

namespace Wp.Core.Sinks.Runtime;

/// <summary>Receives the failed batches of a <c>tolerant</c> sink for the <c>error</c> infra group (SPEC §8.4).</summary>
internal interface IErrorGroupForwarder
{
    /// <summary>
    /// Takes a batch the sink could not write; <paramref name="reason"/> names the sink and the error.
    /// The caller may reuse <paramref name="batch"/> after
    /// this returns: copy the list if it is kept.
    /// </summary>
    ValueTask ForwardAsync(IReadOnlyList<Record> batch, string reason, CancellationToken cancellationToken);
}
