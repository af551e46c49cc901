namespace Wp.Core.Stats;

/// <summary>Something whose counters appear in the stat table. Called from the stat timer thread.</summary>
internal interface IStatSource
{
    IEnumerable<StatRow> Snapshot();
}
