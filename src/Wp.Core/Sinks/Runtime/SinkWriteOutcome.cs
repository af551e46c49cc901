namespace Wp.Core.Sinks.Runtime;

/// <summary>Where a batch handed to <see cref="SinkRuntime.WriteAsync"/> ended up.</summary>
internal enum SinkWriteOutcome
{
    /// <summary>Written to the primary backend.</summary>
    Delivered,

    /// <summary>Stored in a rescue file (the primary is down, <c>fix_retry</c>).</summary>
    Diverted,

    /// <summary>Handed to the <c>error</c> group with the failure reason (<c>tolerant</c>).</summary>
    ToErrorGroup,
}
