namespace Wp.Core.Config;

/// <summary>
/// Loads and validates a work root's whole configuration (SPEC §2–§7, §11) once, at start-up.
/// </summary>
internal static class ProjectLoader
{
    /// <summary>
    /// Loads conf/wparse.toml, the sources file, sink/defaults.toml, sink/infra.d/**.toml,
    /// sink/business.d/**.toml and connectors/sink.d/**.toml (over the built-ins).
    /// </summary>
    /// <exception cref="ConfigException">With every problem found (file, line, column where known).</exception>
    public static ProjectConfig Load(WorkRoot root)
    {
        var problems = new ConfigProblems();
        var engine = ReadEngine(root, problems);
        var connectors = ConnectorLoader.Load(root, problems);

        var sources = SourcesLoader.Load(root, engine.SrcConf, connectors, problems);

        var expectDefaults = ExpectLoader.BuiltInDefaults;
        var defaultsFile = Path.Combine(engine.SinkRoot, ExpectLoader.DefaultsFileName);
        if (File.Exists(defaultsFile) && TomlFile.Read(defaultsFile, problems) is { } defaultsDoc)
        {
            expectDefaults = ExpectLoader.ReadDefaults(defaultsDoc, defaultsFile, problems);
        }

        var business = ReadGroups(root, Path.Combine(engine.SinkRoot, SinkGroupLoader.BusinessDir), isInfra: false, connectors, problems);
        var infraList = ReadGroups(root, Path.Combine(engine.SinkRoot, SinkGroupLoader.InfraDir), isInfra: true, connectors, problems);
        var infra = new Dictionary<string, SinkGroupOptions>(StringComparer.Ordinal);
        foreach (var group in infraList)
        {
            infra.TryAdd(group.Name, group);
        }

        var knowledge = KnowledgeLoader.Load(root, engine.KnowledgeRoot, problems);
        CheckUniqueNames(business.Concat(infraList), problems);
        CheckUniqueOutputs(business.Concat(infraList), problems);
        problems.ThrowIfAny();
        return new ProjectConfig
        {
            WorkRoot = root,
            Engine = engine,
            Sources = sources,
            BusinessGroups = business,
            InfraGroups = infra,
            Connectors = connectors,
            ExpectDefaults = expectDefaults,
            Knowledge = knowledge,
        };
    }

    /// <summary>Just conf/wparse.toml (wprescue and wpgen need nothing else).</summary>
    /// <exception cref="ConfigException">With every problem of that file.</exception>
    public static EngineOptions LoadEngine(WorkRoot root)
    {
        var problems = new ConfigProblems();
        var engine = ReadEngine(root, problems);
        problems.ThrowIfAny();
        return engine;
    }

    /// <summary>Throws at once when the file is missing or not TOML: nothing else can be located without it.</summary>
    private static EngineOptions ReadEngine(WorkRoot root, ConfigProblems problems)
    {
        var file = root.Conf(EngineLoader.FileName);
        if (!File.Exists(file))
        {
            throw new ConfigException(file, $"engine config not found (is '{root.FullPath}' a work root? try wproj init)");
        }

        if (TomlFile.Read(file, problems) is not { } doc)
        {
            problems.ThrowIfAny();
            throw new InvalidOperationException("unreachable: unreadable file without a problem");
        }

        return EngineLoader.Read(root, doc, file, problems);
    }

    private static List<SinkGroupOptions> ReadGroups(
        WorkRoot root, string dir, bool isInfra, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems)
    {
        var groups = new List<SinkGroupOptions>();
        var byName = new Dictionary<string, SinkGroupOptions>(StringComparer.Ordinal);
        foreach (var file in ConfigFiles.TomlFilesUnder(dir))
        {
            if (TomlFile.Read(file, problems) is not { } doc
                || SinkGroupLoader.Read(root, doc, file, isInfra, connectors, problems) is not { } group)
            {
                continue;
            }

            if (byName.TryGetValue(group.Name, out var first))
            {
                var nameEntry = ((TomlTableNode)doc.Get("sink_group")!.Value).Get("name")!;
                problems.Add(file, nameEntry.Line, nameEntry.Column, $"duplicate group name '{group.Name}' (also in {first.SourceFile})");
                continue;
            }

            byName[group.Name] = group;
            groups.Add(group);
        }

        return groups;
    }

    /// <summary>Sink names are unique across all groups (SPEC §6.2): rescue files are routed back by them.</summary>
    private static void CheckUniqueNames(IEnumerable<SinkGroupOptions> groups, ConfigProblems problems)
    {
        var seen = new Dictionary<string, SinkOptions>(StringComparer.Ordinal);
        foreach (var sink in groups.SelectMany(g => g.Sinks))
        {
            if (seen.TryGetValue(sink.Name, out var first))
            {
                problems.Add(sink.SourceFile, sink.SourceLine, null,
                    $"duplicate sink name '{sink.Name}' in group '{sink.Group}': already used in group '{first.Group}' at {ConfigFiles.At(first.SourceFile, first.SourceLine)}");
            }
            else
            {
                seen[sink.Name] = sink;
            }
        }
    }

    /// <summary>
    /// Two sinks of one wparse must not write one file: each has its own writer, and the append lock
    /// that keeps wparse and wprescue apart is per process, so their batches could interleave.
    /// </summary>
    private static void CheckUniqueOutputs(IEnumerable<SinkGroupOptions> groups, ConfigProblems problems)
    {
        var seen = new Dictionary<string, SinkOptions>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var sink in groups.SelectMany(g => g.Sinks).Where(s => s.OutputPath is not null))
        {
            if (!seen.TryAdd(sink.OutputPath!, sink))
            {
                var first = seen[sink.OutputPath!];
                problems.Add(sink.SourceFile, sink.SourceLine, null,
                    $"sink '{sink.Name}' writes {sink.OutputPath}, which sink '{first.Name}' already writes ({ConfigFiles.At(first.SourceFile, first.SourceLine)})");
            }
        }
    }
}
