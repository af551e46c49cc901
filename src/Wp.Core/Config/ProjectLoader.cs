using Wp.Core.Oml;
using Wp.Core.Wpl;

namespace Wp.Core.Config;

/// <summary>
/// Loads and validates a work root's whole configuration (docs/configuration.md) once, at start-up.
/// </summary>
internal static class ProjectLoader
{
    /// <summary>
    /// Loads conf/wparse.toml, the sources file, sink/defaults.toml, sink/infra.d/**.toml,
    /// sink/business.d/**.toml, connectors/sink.d/**.toml (over the built-ins), the WPL rules and the
    /// OML models, and checks what ties them together (see <see cref="Validate"/>).
    /// </summary>
    /// <exception cref="ConfigException">With every problem of every file, sorted by file and line.</exception>
    public static ProjectConfig Load(WorkRoot root)
    {
        var validation = Validate(root);
        if (validation.Problems.Count > 0)
        {
            throw new ConfigException(validation.Problems);
        }

        return validation.Config!;
    }

    /// <summary>
    /// The one validation path shared by every tool and by <c>wproj check</c>: whatever it reports,
    /// wparse and wprescue refuse to run (exit 3) before reading any input. One pass over every file:
    /// TOML, WPL and OML problems come together, sorted by file, line and column. Besides each file's
    /// own problems it fails on: a missing <c>sink_root</c> or WPL folder, a sink folder with no group at
    /// all (every record would be dropped), and a business group's <c>oml</c> name that is no model.
    /// Does not throw for configuration problems.
    /// </summary>
    public static ProjectValidation Validate(WorkRoot root)
    {
        var problems = new ConfigProblems();
        var engineFile = root.Conf(EngineLoader.FileName);
        if (!File.Exists(engineFile))
        {
            problems.Add(engineFile, $"engine config not found (is '{root.FullPath}' a work root? try wproj init)");
            return new ProjectValidation(null, null, null, null, null, Sorted(problems));
        }

        if (TomlFile.Read(engineFile, problems) is not { } engineDoc)
        {
            return new ProjectValidation(null, null, null, null, null, Sorted(problems));
        }

        var engine = EngineLoader.Read(root, engineDoc, engineFile, problems);
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
        if (!Directory.Exists(engine.SinkRoot))
        {
            AddAtKey(problems, engineFile, engineDoc, ["sink_root"], ["topology", "sinks"], "sink folder is missing: no groups, no defaults", engine.SinkRoot);
        }
        else if (ConfigFiles.TomlFilesUnder(Path.Combine(engine.SinkRoot, SinkGroupLoader.BusinessDir)).Count == 0
            && ConfigFiles.TomlFilesUnder(Path.Combine(engine.SinkRoot, SinkGroupLoader.InfraDir)).Count == 0)
        {
            AddAtKey(problems, engineFile, engineDoc, ["sink_root"], ["topology", "sinks"],
                $"no group file in {SinkGroupLoader.BusinessDir}/ or {SinkGroupLoader.InfraDir}/: every record would be dropped", engine.SinkRoot);
        }

        var rules = LoadRules(engine, engineFile, engineDoc, problems);
        var models = LoadModels(engine, problems);
        if (models is not null)
        {
            CheckOmlReferences(business, models, problems);
        }

        var sorted = Sorted(problems);
        var config = sorted.Count > 0 ? null : new ProjectConfig
        {
            WorkRoot = root,
            Engine = engine,
            Sources = sources,
            BusinessGroups = business,
            InfraGroups = infra,
            Connectors = connectors,
            ExpectDefaults = expectDefaults,
            Rules = rules!,
            Models = models!,
            Knowledge = knowledge,
        };
        return new ProjectValidation(config, engine, engineDoc, rules, models, sorted);
    }

    /// <summary>Problems in the order an operator fixes them: by file, then line, then column.</summary>
    private static IReadOnlyList<ConfigProblem> Sorted(ConfigProblems problems) =>
        problems.Items
            .Distinct()
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line ?? 0)
            .ThenBy(p => p.Column ?? 0)
            .ToList();

    private static WplRuleSet? LoadRules(EngineOptions engine, string engineFile, TomlTableNode engineDoc, ConfigProblems problems)
    {
        if (!Directory.Exists(engine.WplRoot))
        {
            AddAtKey(problems, engineFile, engineDoc, ["models", "wpl"], null, "WPL rules folder is missing", engine.WplRoot);
            return null;
        }

        try
        {
            return WplRuleSet.LoadDirectory(engine.WplRoot);
        }
        catch (ConfigException ex)
        {
            foreach (var p in ex.Problems)
            {
                problems.Add(p.File, p.Line, p.Column, p.Message);
            }

            return null;
        }
    }

    /// <summary>The OML models; an absent folder means no models (allowed). Null when a file has problems.</summary>
    private static IReadOnlyList<OmlModel>? LoadModels(EngineOptions engine, ConfigProblems problems)
    {
        if (!Directory.Exists(engine.OmlRoot))
        {
            return [];
        }

        try
        {
            return OmlLoader.LoadDirectory(engine.OmlRoot);
        }
        catch (ConfigException ex)
        {
            foreach (var p in ex.Problems)
            {
                problems.Add(p.File, p.Line, p.Column, p.Message);
            }

            return null;
        }
    }

    /// <summary>Every business group's <c>oml = [...]</c> names an OML model (docs/oml.md), located at the name in the group file.</summary>
    private static void CheckOmlReferences(IReadOnlyList<SinkGroupOptions> business, IReadOnlyList<OmlModel> models, ConfigProblems problems)
    {
        var names = models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var group in business)
        {
            for (var i = 0; i < group.Oml.Count; i++)
            {
                if (names.Contains(group.Oml[i]))
                {
                    continue;
                }

                var (line, column) = LocateOmlName(group.SourceFile, i);
                var known = names.Count == 0 ? "there are no OML models" : $"known: {string.Join(", ", names.Order(StringComparer.Ordinal))}";
                problems.Add(group.SourceFile, line, column, $"group '{group.Name}': oml model '{group.Oml[i]}' does not exist ({known}){Suggest.DidYouMean(group.Oml[i], names)}");
            }
        }
    }

    /// <summary>Line and column of the <paramref name="index"/>-th name of <c>sink_group.oml</c> (or of the key), from the file's syntax tree.</summary>
    private static (int? Line, int? Column) LocateOmlName(string file, int index)
    {
        if (TomlFile.Read(file, new ConfigProblems()) is not { } doc
            || doc.Get("sink_group")?.Value is not TomlTableNode group
            || group.Get("oml") is not { } entry)
        {
            return (null, null);
        }

        return entry.Value is TomlArrayNode array && index < array.Items.Count
            ? (array.Items[index].Line, array.Items[index].Column)
            : (entry.Line, entry.Column);
    }

    /// <summary>A problem of conf/wparse.toml, located at <paramref name="keyPath"/> (or its alias) when it is set.</summary>
    private static void AddAtKey(ConfigProblems problems, string file, TomlTableNode doc, string[] keyPath, string[]? aliasPath, string what, string folder)
    {
        var entry = FindEntry(doc, keyPath) ?? (aliasPath is null ? null : FindEntry(doc, aliasPath));
        var key = string.Join('.', keyPath);
        problems.Add(file, entry?.Line, entry?.Column, entry is null ? $"{what}: {folder} ({key} not set; that is its default)" : $"{what}: {key} = {folder}");
    }

    /// <summary>The entry at a dotted key path of a parsed TOML file, or null.</summary>
    internal static TomlEntry? FindEntry(TomlTableNode? doc, string[] keyPath)
    {
        TomlEntry? entry = null;
        var table = doc;
        foreach (var key in keyPath)
        {
            entry = table?.Get(key);
            table = entry?.Value as TomlTableNode;
        }

        return entry;
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

    /// <summary>Sink names are unique across all groups (docs/configuration.md, sink groups): rescue files are routed back by them.</summary>
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

/// <summary>What <see cref="ProjectLoader.Validate"/> found: the loaded parts (null where they did not load) and every problem.</summary>
/// <param name="Config">The whole configuration; null when there is any problem.</param>
/// <param name="Engine">conf/wparse.toml; null when it is missing or not TOML.</param>
/// <param name="EngineDoc">conf/wparse.toml's syntax tree, to locate keys.</param>
/// <param name="Rules">The WPL rules; null when they did not load.</param>
/// <param name="Models">The OML models (empty without a folder); null when they did not load.</param>
/// <param name="Problems">Every problem, sorted by file, line and column.</param>
internal sealed record ProjectValidation(
    ProjectConfig? Config,
    EngineOptions? Engine,
    TomlTableNode? EngineDoc,
    WplRuleSet? Rules,
    IReadOnlyList<OmlModel>? Models,
    IReadOnlyList<ConfigProblem> Problems);
