namespace Wp.Core.Stats;

/// <summary>One row of the stat table (SPEC §10): cumulative counts of one stage item.</summary>
/// <param name="Stage">pick, parse, sink or rescue.</param>
/// <param name="Name">Source key, rule path or sink name.</param>
/// <param name="Target">Path or group the row refers to.</param>
/// <param name="Total">Items seen.</param>
/// <param name="Success">Items handled successfully.</param>
internal sealed record StatRow(string Stage, string Name, string Target, long Total, long Success)
{
    public double RatePercent => Total == 0 ? 0 : 100.0 * Success / Total;

    public string Key => Stage + "\u001f" + Name;
}

/// <summary>
/// A stat row with its speed over a window, as printed and sent to the monitor group;
/// <paramref name="InWindow"/> is how much of <see cref="StatRow.Total"/> came in this window
/// (null in a whole-run table).
/// </summary>
internal sealed record StatLine(StatRow Row, double Speed, long? InWindow = null);
