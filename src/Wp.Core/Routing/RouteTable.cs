using System.Collections.Concurrent;
using Wp.Core.Config;

namespace Wp.Core.Routing;

/// <summary>
/// Decides which business group owns a rule path (SPEC §5.5): among every group's <c>rule</c>
/// patterns and the rule patterns of the OML models it names, the longest matching pattern wins;
/// on a tie the group loaded first. Paths no group claims go to the default infra group
/// (<see cref="Unclaimed"/>). Answers are cached per path, so routing costs one lookup per record.
/// </summary>
internal sealed class RouteTable
{
    /// <summary>The group index returned for paths no business group claims.</summary>
    public const int Unclaimed = -1;

    private readonly IReadOnlyList<IReadOnlyList<string>> _patternsByGroup;
    private readonly ConcurrentDictionary<string, int> _cache = new(StringComparer.Ordinal);

    /// <param name="groups">Business groups in load order.</param>
    /// <param name="omlRulePatterns">OML model name → its <c>rule</c> pattern.</param>
    public RouteTable(IReadOnlyList<SinkGroupOptions> groups, IReadOnlyDictionary<string, string> omlRulePatterns)
        : this(groups, omlRulePatterns.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[p.Value], StringComparer.Ordinal))
    {
    }

    /// <param name="groups">Business groups in load order.</param>
    /// <param name="omlRulePatterns">OML model name → every one of its <c>rule</c> patterns.</param>
    public RouteTable(IReadOnlyList<SinkGroupOptions> groups, IReadOnlyDictionary<string, IReadOnlyList<string>> omlRulePatterns)
    {
        _patternsByGroup = groups
            .Select(g => (IReadOnlyList<string>)g.Rule
                .Concat(g.Oml.Where(omlRulePatterns.ContainsKey).SelectMany(name => omlRulePatterns[name]))
                .ToArray())
            .ToArray();
    }

    /// <summary>The index of the owning business group, or <see cref="Unclaimed"/>.</summary>
    public int GroupFor(string rulePath) => _cache.GetOrAdd(rulePath, Resolve);

    private int Resolve(string rulePath)
    {
        var best = Unclaimed;
        var bestLength = -1;
        for (var group = 0; group < _patternsByGroup.Count; group++)
        {
            foreach (var pattern in _patternsByGroup[group])
            {
                // Strictly longer wins, so on a tie the earlier group keeps it.
                if (pattern.Length > bestLength && GlobPattern.IsMatch(pattern, rulePath))
                {
                    best = group;
                    bestLength = pattern.Length;
                }
            }
        }

        return best;
    }
}
