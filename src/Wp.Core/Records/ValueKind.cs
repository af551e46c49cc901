namespace Wp.Core.Records;

/// <summary>The kinds of value a parsed field can hold (SPEC §5.4).</summary>
internal enum ValueKind : byte
{
    /// <summary>A value parsed only to be skipped (<c>_</c>); never printed.</summary>
    Ignore = 0,
    String,
    Int,
    Float,
    Bool,
    /// <summary>An IPv4/IPv6 address kept as the text it was written as (validated at parse).</summary>
    Ip,
    /// <summary>A wall-clock date and time with no zone.</summary>
    DateTime,
}
