using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Support;

/// <summary>Stands in for the error group: keeps each forwarded batch (copied) with its reason.</summary>
internal sealed class CollectingErrorForwarder : IErrorGroupForwarder
{
    public List<(List<Record> Batch, string Reason)> Received { get; } = [];

    public ValueTask ForwardAsync(IReadOnlyList<Record> batch, string reason, CancellationToken cancellationToken)
    {
        Received.Add(([.. batch], reason));
        return ValueTask.CompletedTask;
    }
}
