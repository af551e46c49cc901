using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// The outcome of matching one line. A match carries the rule and the record (and the trimmed
/// leftover, when one was accepted); a miss carries why (<c>"blank"</c> for whitespace-only lines).
/// </summary>
internal readonly record struct WplMatch(WplRule? Rule, Record? Record, string? Residue, string? MissReason)
{
    public bool IsMatch => Rule is not null;

    /// <summary>On a miss: the rule that came closest (matched the most fields), if any.</summary>
    public WplRule? Closest { get; init; }

    /// <summary>On a miss: where and why <see cref="Closest"/> stopped.</summary>
    public WplMiss ClosestMiss { get; init; }

    /// <summary>On a miss: the text <see cref="Closest"/> was matched against (the line, or its preprocessed form).</summary>
    public string? ClosestText { get; init; }

    /// <summary>The miss reason of a whitespace-only line.</summary>
    public const string Blank = "blank";
}
