using Wp.Core.Oml;
using Wp.Core.Wpl;

namespace Wp.Core.Config;

/// <summary>Everything a work root configures, loaded and validated once.</summary>
internal sealed class ProjectConfig
{
    public required WorkRoot WorkRoot { get; init; }

    public required EngineOptions Engine { get; init; }

    public required IReadOnlyList<SourceOptions> Sources { get; init; }

    /// <summary>Business groups in load order (ordinal path order of business.d).</summary>
    public required IReadOnlyList<SinkGroupOptions> BusinessGroups { get; init; }

    /// <summary>Infra groups present in infra.d, by name (default, miss, residue, intercept, error, monitor).</summary>
    public required IReadOnlyDictionary<string, SinkGroupOptions> InfraGroups { get; init; }

    public required IReadOnlyDictionary<string, ConnectorDefinition> Connectors { get; init; }

    /// <summary><c>[defaults.expect]</c> of sink/defaults.toml.</summary>
    public required ExpectOptions ExpectDefaults { get; init; }

    /// <summary>The WPL rules of <c>[models] wpl</c>, compiled.</summary>
    public required WplRuleSet Rules { get; init; }

    /// <summary>The OML models of <c>[models] oml</c> (empty when the folder is absent).</summary>
    public required IReadOnlyList<OmlModel> Models { get; init; }

    /// <summary>models/knowledge/knowdb.toml and its CSV tables; null when there is no knowdb.toml.</summary>
    public KnowledgeBase? Knowledge { get; init; }

    public IEnumerable<SinkGroupOptions> AllGroups => BusinessGroups.Concat(InfraGroups.Values);

    public IEnumerable<SinkOptions> AllSinks => AllGroups.SelectMany(g => g.Sinks);
}
