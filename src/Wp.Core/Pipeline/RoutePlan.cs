using Wp.Core.Config;
using Wp.Core.Oml;
using Wp.Core.Routing;
using Wp.Core.Wpl;

namespace Wp.Core.Pipeline;

/// <summary>
/// Everything a parse worker needs to place a record, decided once at start: for each WPL rule its
/// outlet (business group, or <c>default</c>) and OML model; plus the infra outlets. Outlets are
/// numbered so workers can gather per-outlet chunks in a plain array.
/// </summary>
internal sealed class RoutePlan
{
    private readonly List<GroupOutlet> _outlets;
    private readonly Dictionary<WplRule, RuleRoute> _routes;

    public RoutePlan(
        WplRuleSet rules,
        IReadOnlyList<OmlModel> models,
        IReadOnlyList<GroupOutlet> business,
        IReadOnlyList<SinkGroupOptions> businessGroups,
        IReadOnlyDictionary<string, GroupOutlet> infra)
    {
        _outlets = [.. business];
        Default = AddInfra(infra, InfraGroups.Default);
        Miss = AddInfra(infra, InfraGroups.Miss);
        Residue = AddInfra(infra, InfraGroups.Residue);
        Error = AddInfra(infra, InfraGroups.Error);

        var table = new RouteTable(businessGroups, models.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.First().RulePatterns, StringComparer.Ordinal));
        _routes = new Dictionary<WplRule, RuleRoute>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < rules.Rules.Count; i++)
        {
            var rule = rules.Rules[i];
            var group = table.GroupFor(rule.Path);
            _routes[rule] = new RuleRoute(i, group == RouteTable.Unclaimed ? Default : group, ModelFor(models, rule.Path));
        }

        RuleCount = rules.Rules.Count;
    }

    public int OutletCount => _outlets.Count;

    public int RuleCount { get; }

    public int Default { get; }

    public int Miss { get; }

    public int Residue { get; }

    public int Error { get; }

    public GroupOutlet Outlet(int index) => _outlets[index];

    public RuleRoute For(WplRule rule) => _routes[rule];

    /// <summary>
    /// The model with the longest rule pattern matching the path (first loaded on a tie), if any; every
    /// <c>rule :</c> line of a model counts.
    /// </summary>
    private static OmlModel? ModelFor(IReadOnlyList<OmlModel> models, string path)
    {
        OmlModel? best = null;
        var bestLength = -1;
        foreach (var model in models)
        {
            foreach (var pattern in model.RulePatterns)
            {
                if (pattern.Length > bestLength && GlobPattern.IsMatch(pattern, path))
                {
                    best = model;
                    bestLength = pattern.Length;
                }
            }
        }

        return best;
    }

    private int AddInfra(IReadOnlyDictionary<string, GroupOutlet> infra, string name)
    {
        _outlets.Add(infra.TryGetValue(name, out var outlet) ? outlet : new GroupOutlet(name, []));
        return _outlets.Count - 1;
    }
}

/// <summary>Where records of one rule go.</summary>
internal readonly record struct RuleRoute(int RuleIndex, int Outlet, OmlModel? Model);
