using Wp.Core.Stats;

namespace Wp.Core.Sources;

/// <summary>The pick-stage rows: lines read per source; success excludes lines that held invalid UTF-8.</summary>
internal sealed class SourceStats(IReadOnlyList<SourceCounters> sources) : IStatSource
{
    public IEnumerable<StatRow> Snapshot() =>
        sources.Select(s => new StatRow("pick", s.Key, s.Path, s.Lines, s.Lines - s.InvalidUtf8));
}
