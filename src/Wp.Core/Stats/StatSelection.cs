using Wp.Core.Config;
using Wp.Core.Routing;

namespace Wp.Core.Stats;

/// <summary>
/// Applies upstream's <c>[[stat.pick]]</c>, <c>[[stat.parse]]</c> and <c>[[stat.sink]]</c> tables to
/// the stat rows: a stage with tables shows only the rows whose name or target matches a table's
/// <c>target</c> (<c>*</c> wildcard), at most <c>top_n</c> of them per table, largest total first;
/// a stage without tables shows every row. Row order is kept. Does not throw.
/// </summary>
internal sealed class StatSelection
{
    private readonly ILookup<string, StatRequest> _byStage;

    public StatSelection(IReadOnlyList<StatRequest> requests) =>
        _byStage = requests.ToLookup(r => r.Stage, StringComparer.Ordinal);

    /// <summary>Selects nothing away.</summary>
    public static StatSelection All { get; } = new([]);

    public IReadOnlyList<StatRow> Apply(IReadOnlyList<StatRow> rows)
    {
        if (_byStage.Count == 0)
        {
            return rows;
        }

        var keep = new HashSet<StatRow>(ReferenceEqualityComparer.Instance);
        foreach (var stage in rows.GroupBy(r => r.Stage, StringComparer.Ordinal))
        {
            if (!_byStage.Contains(stage.Key))
            {
                keep.UnionWith(stage);
                continue;
            }

            foreach (var request in _byStage[stage.Key])
            {
                var matching = stage.Where(r => GlobPattern.IsMatch(request.Target, r.Name) || GlobPattern.IsMatch(request.Target, r.Target));
                if (request.TopN is { } n)
                {
                    // Stable: among equal totals the earlier row wins.
                    matching = matching.OrderByDescending(r => r.Total).Take(n);
                }

                keep.UnionWith(matching);
            }
        }

        return rows.Where(keep.Contains).ToList();
    }
}
