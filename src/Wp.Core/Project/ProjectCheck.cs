using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Oml;
using Wp.Core.Wpl;

namespace Wp.Core.Project;

/// <summary>
/// <c>wproj check</c> (SPEC §11): loads every configuration file, the WPL rules and OML models,
/// resolves each business group's <c>oml</c> names, and looks for the folders of the layout.
/// Every problem is reported as <c>file:line[:col]</c> relative to the work root.
/// </summary>
internal static class ProjectCheck
{
    /// <summary>Prints the check table and a headline. Returns 0 when nothing failed, 4 (validation failed) otherwise.</summary>
    /// <param name="probe">Also connect to every network or database sink (<c>--probe</c>).</param>
    public static int Run(WorkRoot root, TextWriter output, TextWriter error, ConsoleStyle style, bool probe = false)
    {
        var report = Check(root, probe);
        output.WriteLine($"wproj check: {root.FullPath}");
        var table = new TextTable(
            new TableColumn("item", Fit: Fit.PathLeft, MinWidth: 24),
            new TableColumn("result"),
            new TableColumn("detail", Fit: Fit.Wrap, MinWidth: 32));
        foreach (var item in report.Items)
        {
            table.Add(item.Item, item.Result switch
            {
                CheckResult.Ok => new TableCell("ok", Tone.Good),
                CheckResult.Warn => new TableCell("warn", Tone.Warn),
                _ => new TableCell("FAIL", Tone.Bad),
            }, item.Detail);
        }

        table.Write(output, style);
        output.WriteLine(style.Paint(report.Headline, report.Failures > 0 ? Tone.Bad : Tone.Good));
        if (report.Failures == 0)
        {
            return ExitCodes.Success;
        }

        var first = report.Items.First(i => i.Result == CheckResult.Fail);
        error.WriteLine($"wproj check: {report.Failures} problem{(report.Failures == 1 ? "" : "s")}; first: {first.Item}: {first.Detail}");
        return ExitCodes.ValidationFailed;
    }

    /// <summary>Runs every check; never throws for configuration problems (they become rows).</summary>
    public static CheckReport Check(WorkRoot root, bool probe = false)
    {
        var report = new CheckReport();
        var context = new Context(root, report);
        EngineOptions engine;
        try
        {
            engine = ProjectLoader.LoadEngine(root);
        }
        catch (ConfigException ex)
        {
            // Without conf/wparse.toml nothing else can be located.
            context.AddProblems(ex.Problems);
            return report;
        }

        var engineDoc = TomlFile.Read(root.Conf(EngineLoader.FileName), new ConfigProblems());
        var config = CheckConfig(context, engine);
        var models = CheckModels(context, engine, engineDoc);
        CheckOmlReferences(context, config, models);
        CheckFolders(context, engine, engineDoc, config);
        if (probe && config is not null)
        {
            SinkProbe.Run(config, report, TimeProvider.System);
        }

        return report;
    }

    /// <summary>The TOML configuration, file by file: ok with a summary, or one row per problem.</summary>
    private static ProjectConfig? CheckConfig(Context context, EngineOptions engine)
    {
        var root = context.Root;
        var problems = new List<ConfigProblem>();
        ProjectConfig? config = null;
        try
        {
            config = ProjectLoader.Load(root);
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Problems);
        }

        GeneratorOptions? generator = null;
        try
        {
            generator = GeneratorConfigLoader.Load(root);
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Problems); // connector problems appear twice; deduplicated below
        }

        problems = problems.Distinct().ToList();
        var files = new List<string> { root.Conf(EngineLoader.FileName) };
        files.AddRange(Directory.Exists(engine.SrcConf) ? ConfigFiles.TomlFilesUnder(engine.SrcConf) : [engine.SrcConf]);
        var defaults = Path.Combine(engine.SinkRoot, ExpectLoader.DefaultsFileName);
        if (File.Exists(defaults))
        {
            files.Add(defaults);
        }

        files.AddRange(ConfigFiles.TomlFilesUnder(Path.Combine(engine.SinkRoot, SinkGroupLoader.BusinessDir)));
        files.AddRange(ConfigFiles.TomlFilesUnder(Path.Combine(engine.SinkRoot, SinkGroupLoader.InfraDir)));
        files.AddRange(ConfigFiles.TomlFilesUnder(root.Resolve(ConnectorLoader.SinkConnectorDir)));
        var generatorFile = root.Conf(GeneratorConfigLoader.FileName);
        files.Add(generatorFile);
        var knowdb = Path.Combine(engine.KnowledgeRoot, KnowledgeLoader.FileName);
        if (File.Exists(knowdb))
        {
            files.Add(knowdb);
        }
        files = files.Distinct(StringComparer.Ordinal).ToList();

        foreach (var file in files)
        {
            var own = problems.Where(p => SamePath(p.File, file)).ToList();
            if (own.Count > 0)
            {
                context.AddProblems(own);
                continue;
            }

            var summary = file == generatorFile && !File.Exists(file)
                ? "absent: generator defaults apply"
                : Summarize(context, file, engine, config, generator);
            context.Report.Add(context.Show(file), CheckResult.Ok, summary);
        }

        context.AddProblems(problems.Where(p => !files.Any(f => SamePath(p.File, f))));
        foreach (var note in engine.NoEffect)
        {
            context.Report.Add($"{context.Show(note.File)}:{note.Line}:{note.Column}", CheckResult.Warn, note.Message);
        }

        foreach (var table in config?.Knowledge?.Tables ?? [])
        {
            var skipped = table.SkippedRows > 0 ? $", {Plural(table.SkippedRows, "bad row")} skipped" : "";
            context.Report.Add(context.Show(table.DataFile), CheckResult.Ok,
                $"knowledge table {table.Name}: {Plural(table.Rows.Count, "row")}{skipped} ({string.Join(", ", table.Columns)})");
        }

        return config;
    }

    private static string Summarize(Context context, string file, EngineOptions engine, ProjectConfig? config, GeneratorOptions? generator)
    {
        var root = context.Root;
        if (file == root.Conf(EngineLoader.FileName))
        {
            var summary = $"engine: {engine.ParseWorkers} parse workers, speed_limit {engine.SpeedLimit}";
            if (engine.StatRequests.Count > 0)
            {
                summary += "; stat tables: " + string.Join(", ", engine.StatRequests.Select(r =>
                    $"{r.Key} ({r.Stage}, target {r.Target}{(r.TopN is { } n ? $", top {n}" : "")})"));
            }

            if (engine.Spellings.Count > 0)
            {
                summary += "; upstream spellings read: " + string.Join(", ", engine.Spellings.Select(s => $"{s.Read} (= {s.Canonical})"));
            }

            return summary;
        }

        if (file == root.Conf(GeneratorConfigLoader.FileName) && generator is not null)
        {
            var name = generator.OutputName is { } n ? $" (output {n})" : "";
            return $"generator: {generator.Mode.ToString().ToLowerInvariant()} into {context.Show(generator.OutputPath)}{name}";
        }

        if (config is null)
        {
            return "no problems in this file";
        }

        if (file == engine.SrcConf || config.Sources.Any(s => s.SourceFile == file))
        {
            var sources = file == engine.SrcConf ? config.Sources : config.Sources.Where(s => s.SourceFile == file).ToList();
            return $"{Plural(sources.Count, "source")} ({string.Join(", ", sources.Select(s => s.Key))}), {sources.Count(s => s.Enable)} enabled";
        }

        if (config.Knowledge is { } knowledge && file == knowledge.File)
        {
            return $"knowledge: {Plural(knowledge.Tables.Count, "table")}";
        }

        if (file == Path.Combine(engine.SinkRoot, ExpectLoader.DefaultsFileName))
        {
            var d = config.ExpectDefaults;
            return $"expect defaults: basis {d.Basis}, min_samples {d.MinSamples}, mode {d.Mode}";
        }

        if (config.AllGroups.FirstOrDefault(g => g.SourceFile == file) is { } group)
        {
            // Unnamed sinks get <group>_<index> (SPEC §6.2): show the names rescue files will carry.
            var names = group.Sinks.Select(s => s.IsNamed ? s.Name : $"{s.Name} (unnamed: by position)");
            return $"{(group.IsInfra ? "infra" : "business")} group {group.Name}: {Plural(group.Sinks.Count, "sink")}: {string.Join(", ", names)}";
        }

        var connectors = config.Connectors.Values.Where(c => c.SourceFile == file).Select(c => c.Id).ToList();
        return connectors.Count > 0 ? $"connectors: {string.Join(", ", connectors)}" : "no problems in this file";
    }

    /// <summary>WPL rules and OML models, file by file. Returns the models when they loaded (empty when the folder is absent).</summary>
    private static IReadOnlyList<OmlModel>? CheckModels(Context context, EngineOptions engine, TomlTableNode? engineDoc)
    {
        if (!Directory.Exists(engine.WplRoot))
        {
            context.MissingFolder(engineDoc, engine.WplRoot, CheckResult.Fail, "models.wpl", ["models", "wpl"], "WPL rules folder is missing", null);
        }
        else
        {
            var files = Directory.GetFiles(engine.WplRoot, "parse*.wpl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            try
            {
                var rules = WplRuleSet.LoadDirectory(engine.WplRoot);
                foreach (var file in files)
                {
                    var paths = rules.Rules.Where(r => SamePath(r.File, file)).Select(r => r.Path).ToList();
                    context.Report.Add(context.Show(file), CheckResult.Ok, $"{Plural(paths.Count, "rule")}: {string.Join(", ", paths)}");
                }

                if (files.Count == 0)
                {
                    context.Report.Add(context.Show(engine.WplRoot) + "/", CheckResult.Warn, "no parse*.wpl files: every line will go to the miss group");
                }

                foreach (var (sample, ok, detail) in WplSampleCheck.Run(rules))
                {
                    context.Report.Add(context.Show(sample), ok ? CheckResult.Ok : CheckResult.Fail, detail);
                }
            }
            catch (ConfigException ex)
            {
                AddPerFile(context, files, ex.Problems, "rules parse");
            }
        }

        if (!Directory.Exists(engine.OmlRoot))
        {
            context.MissingFolder(engineDoc, engine.OmlRoot, CheckResult.Warn, "models.oml", ["models", "oml"], "OML folder is missing: no models", null);
            return [];
        }

        var omlFiles = Directory.GetFiles(engine.OmlRoot, "*.oml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        try
        {
            var models = OmlLoader.LoadDirectory(engine.OmlRoot);
            foreach (var file in omlFiles)
            {
                foreach (var model in models.Where(m => SamePath(m.File, file)))
                {
                    context.Report.Add(context.Show(file), CheckResult.Ok, $"model {model.Name} (rule {string.Join(", ", model.RulePatterns)})");
                }
            }

            return models;
        }
        catch (ConfigException ex)
        {
            AddPerFile(context, omlFiles, ex.Problems, "model parses");
            return null;
        }
    }

    /// <summary>Every business group's <c>oml = [...]</c> names an OML model (SPEC §5.5), located at the name in the group file.</summary>
    private static void CheckOmlReferences(Context context, ProjectConfig? config, IReadOnlyList<OmlModel>? models)
    {
        if (config is null || models is null)
        {
            return; // the configuration or the models did not load: already reported
        }

        var names = models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var count = 0;
        var bad = 0;
        foreach (var group in config.BusinessGroups)
        {
            for (var i = 0; i < group.Oml.Count; i++)
            {
                count++;
                if (names.Contains(group.Oml[i]))
                {
                    continue;
                }

                bad++;
                var (line, column) = LocateOmlName(group.SourceFile, i);
                var known = names.Count == 0 ? "there are no OML models" : $"known: {string.Join(", ", names.Order(StringComparer.Ordinal))}";
                context.AddProblem(new ConfigProblem(group.SourceFile, line, column,
                    $"group '{group.Name}': oml model '{group.Oml[i]}' does not exist ({known})"));
            }
        }

        if (count > 0 && bad == 0)
        {
            context.Report.Add("oml references", CheckResult.Ok, $"every oml name of the business groups is a model ({count})");
        }
    }

    /// <summary>The folders of the layout: configuration folders must exist; data folders are created on first use, so their absence is a warning.</summary>
    private static void CheckFolders(Context context, EngineOptions engine, TomlTableNode? engineDoc, ProjectConfig? config)
    {
        if (!Directory.Exists(engine.SinkRoot))
        {
            context.MissingFolder(engineDoc, engine.SinkRoot, CheckResult.Fail, "sink_root", ["sink_root"], "sink folder is missing: no groups, no defaults", ["topology", "sinks"]);
        }
        else
        {
            var business = Path.Combine(engine.SinkRoot, SinkGroupLoader.BusinessDir);
            if (!Directory.Exists(business))
            {
                context.Report.Add(context.Show(business) + "/", CheckResult.Warn, "missing: no business groups, every record goes to the default group");
            }

            if (config is not null)
            {
                foreach (var name in InfraGroups.All.Where(n => !config.InfraGroups.ContainsKey(n)))
                {
                    context.Report.Add(context.Show(Path.Combine(engine.SinkRoot, SinkGroupLoader.InfraDir)) + "/", CheckResult.Warn,
                        $"infra group '{name}' missing: its records are counted and dropped");
                }
            }
        }

        var data = new List<(string Path, string What)> { (engine.RescueRoot, "rescue_root") };
        if (config is not null)
        {
            data.AddRange(config.Sources.Where(s => s.Enable && s.Path is not null).Select(s => (Path.GetDirectoryName(s.Path)!, $"source {s.Key}")));
            data.AddRange(config.AllSinks.Where(s => s.OutputPath is not null).Select(s => (Path.GetDirectoryName(s.OutputPath!)!, "sink output")));
        }

        if (engine.Log.Path is { } logs)
        {
            data.Add((logs, "logs"));
        }

        foreach (var folder in data.GroupBy(d => d.Path, StringComparer.Ordinal))
        {
            var what = string.Join(", ", folder.Select(f => f.What).Distinct(StringComparer.Ordinal));
            var exists = Directory.Exists(folder.Key);
            context.Report.Add(context.Show(folder.Key) + "/", exists ? CheckResult.Ok : CheckResult.Warn,
                exists ? $"folder ({what})" : $"missing ({what}); created on first write");
        }

        foreach (var source in config?.Sources.Where(s => s.Enable && s.Path is not null && !File.Exists(s.Path)) ?? [])
        {
            if (Directory.Exists(Path.GetDirectoryName(source.Path)))
            {
                context.Report.Add(context.Show(source.Path!), CheckResult.Warn, $"source {source.Key}: file missing (wpgen sample writes it)");
            }
        }
    }

    /// <summary>Problems of files that failed to parse; files without problems are ok.</summary>
    private static void AddPerFile(Context context, IReadOnlyList<string> files, IReadOnlyList<ConfigProblem> problems, string okDetail)
    {
        foreach (var file in files)
        {
            var own = problems.Where(p => SamePath(p.File, file)).ToList();
            if (own.Count == 0)
            {
                context.Report.Add(context.Show(file), CheckResult.Ok, okDetail);
            }
            else
            {
                context.AddProblems(own);
            }
        }

        context.AddProblems(problems.Where(p => !files.Any(f => SamePath(p.File, f))));
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

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";

    /// <summary>The work root, the report, and how problems and paths are shown.</summary>
    private sealed class Context(WorkRoot root, CheckReport report)
    {
        public WorkRoot Root { get; } = root;

        public CheckReport Report { get; } = report;

        public string Show(string path) => DisplayPath.Of(Root, path);

        public void AddProblems(IEnumerable<ConfigProblem> problems)
        {
            foreach (var problem in problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0))
            {
                AddProblem(problem);
            }
        }

        public void AddProblem(ConfigProblem problem)
        {
            var at = Show(problem.File) + (problem.Line is { } l ? $":{l}" + (problem.Column is { } c ? $":{c}" : "") : "");
            Report.Add(at, CheckResult.Fail, DisplayPath.InMessage(Root, problem.Message));
        }

        /// <summary>A folder named (or defaulted) in conf/wparse.toml is missing: located at its key (or the key's alias) when it is set.</summary>
        public void MissingFolder(TomlTableNode? engineDoc, string folder, CheckResult result, string key, string[] keyPath, string what, string[]? aliasPath)
        {
            var file = Root.Conf(EngineLoader.FileName);
            var entry = Find(engineDoc, keyPath) ?? (aliasPath is null ? null : Find(engineDoc, aliasPath));
            var message = entry is null
                ? $"{what}: {Show(folder)} ({key} not set; that is its default)"
                : $"{what}: {key} = {Show(folder)}";
            if (result == CheckResult.Fail)
            {
                AddProblem(new ConfigProblem(file, entry?.Line, entry?.Column, message));
            }
            else
            {
                Report.Add(Show(folder) + "/", result, message);
            }
        }

        private static TomlEntry? Find(TomlTableNode? doc, string[] keyPath)
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
    }
}
