using Wp.Core.Config;

namespace Wp.Core.Expect;

/// <summary>What <c>wproj stat</c> counts: <c>file</c> (both), <c>src-file</c>, <c>sink-file</c>.</summary>
internal enum StatScope
{
    All,
    Sources,
    Sinks,
}

/// <summary>One source of conf/wpsrc.toml and the lines of its file as it is on disk now.</summary>
internal sealed record SourceLines(SourceOptions Source, LineCount Count);

/// <summary>One sink and the lines of its output file; <see cref="Count"/> is null for sinks that write no file (blackhole).</summary>
internal sealed record SinkLines(SinkGroupOptions Group, SinkOptions Sink, LineCount? Count)
{
    /// <summary><c>business</c> or <c>infra</c>.</summary>
    public string Scope => Group.IsInfra ? "infra" : "business";

    /// <summary>Lines of the output file; 0 for a missing file or a sink without one.</summary>
    public long Lines => Count?.Lines ?? 0;

    /// <summary>Records of this sink still in rescue files (sealed or orphaned), waiting for wprescue.</summary>
    public long PendingRescue { get; init; }
}

/// <summary>Line counts of a work root's sources and sink outputs (SPEC §11 <c>wproj stat</c>).</summary>
internal sealed class LineReport
{
    public required WorkRoot Root { get; init; }

    public required StatScope Scope { get; init; }

    /// <summary>Every source, in wpsrc.toml order (empty for <see cref="StatScope.Sinks"/>).</summary>
    public required IReadOnlyList<SourceLines> Sources { get; init; }

    /// <summary>Every sink: business groups in load order, then infra groups in SPEC §6.4 order (empty for <see cref="StatScope.Sources"/>).</summary>
    public required IReadOnlyList<SinkLines> Sinks { get; init; }

    /// <summary>Lines of the enabled sources' files: the <c>total_input</c> of validation.</summary>
    public long EnabledSourceLines => Sources.Where(s => s.Source.Enable).Sum(s => s.Count.Lines);

    public long BusinessLines => Sinks.Where(s => !s.Group.IsInfra).Sum(s => s.Lines);

    public long InfraLines => Sinks.Where(s => s.Group.IsInfra).Sum(s => s.Lines);

    public long SinkLines => BusinessLines + InfraLines;

    /// <summary>Groups in report order: business in load order, then infra in SPEC §6.4 order.</summary>
    public static IEnumerable<SinkGroupOptions> OrderedGroups(ProjectConfig config) =>
        config.BusinessGroups.Concat(InfraGroups.All.Where(config.InfraGroups.ContainsKey).Select(n => config.InfraGroups[n]));

    /// <summary>Counts the files of <paramref name="scope"/> (each distinct file once, in parallel).</summary>
    /// <exception cref="IOException">A file exists but cannot be read.</exception>
    public static LineReport Collect(ProjectConfig config, StatScope scope)
    {
        var sources = scope == StatScope.Sinks ? [] : config.Sources;
        var sinks = scope == StatScope.Sources
            ? []
            : OrderedGroups(config).SelectMany(g => g.Sinks.Select(s => (Group: g, Sink: s))).ToList();

        var pending = scope == StatScope.Sources
            ? new Dictionary<string, long>()
            : PendingRescue.PerSink(config.Engine.RescueRoot, config.AllSinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
        var counts = LineCounter.CountAll(
            sources.Select(s => s.Path).Concat(sinks.Where(s => s.Sink.OutputPath is not null).Select(s => s.Sink.OutputPath!)));
        return new LineReport
        {
            Root = config.WorkRoot,
            Scope = scope,
            Sources = sources.Select(s => new SourceLines(s, counts[s.Path])).ToList(),
            Sinks = sinks.Select(s => new SinkLines(s.Group, s.Sink, s.Sink.OutputPath is { } p ? counts[p] : null)
            {
                PendingRescue = pending.GetValueOrDefault(s.Sink.Name),
            }).ToList(),
        };
    }
}
