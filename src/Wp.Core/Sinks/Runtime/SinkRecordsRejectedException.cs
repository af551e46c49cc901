using Wp.Core.Records;

namespace Wp.Core.Sinks.Runtime;

/// <summary>A record the destination refused for its content (a value its column cannot take), with the reason.</summary>
internal readonly record struct RejectedRecord(Record Record, string Reason);

/// <summary>
/// Thrown by a backend whose write <b>succeeded</b> for every record of the batch except
/// <see cref="Rejected"/>, which the destination refused for their content (SPEC §7.4: bad data is
/// not an outage). The sink runtime counts the others as delivered and sends these to the
/// <c>error</c> group with the reason.
/// </summary>
internal sealed class SinkRecordsRejectedException : Exception
{
    public SinkRecordsRejectedException(IReadOnlyList<RejectedRecord> rejected)
        : base($"{rejected.Count} record(s) rejected: {(rejected.Count > 0 ? rejected[0].Reason : "")}")
    {
        Rejected = rejected;
    }

    public SinkRecordsRejectedException()
        : this([])
    {
    }

    public SinkRecordsRejectedException(string message)
        : base(message)
    {
        Rejected = [];
    }

    public SinkRecordsRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejected = [];
    }

    public IReadOnlyList<RejectedRecord> Rejected { get; }
}
