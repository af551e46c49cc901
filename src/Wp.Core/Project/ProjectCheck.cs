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
    /// <param name="json">Print a JSON document instead of the table (<c>--json</c>).</param>
    public static int Run(WorkRoot root, TextWriter output, TextWriter error, ConsoleStyle style, bool probe = false, bool json = false)
    {
        var report = Check(root, probe);
        if (json)
        {
            // {"work_root", "result": "pass"|"fail", "failures", "warnings", "items": [{"item","result","detail"}]}
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("work_root", root.FullPath);
                w.WriteString("result", report.Failures > 0 ? "fail" : "pass");
                w.WriteNumber("failures", report.Failures);
                w.WriteNumber("warnings", report.Warnings);
                w.WriteStartArray("items");
                foreach (var item in report.Items)
                {
                    w.WriteStartObject();
                    w.WriteString("item", item.Item);
                    w.WriteString("result", item.Result.ToString().ToLowerInvariant());
                    w.WriteString("detail", item.Detail);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return report.Failures == 0 ? ExitCodes.Success : ExitCodes.ValidationFailed;
        }

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

    /// <summary>
    /// Runs every check; never throws for configuration problems (they become rows). The failures are
    /// exactly those of <see cref="ProjectLoader.Validate"/> — the validation wparse and wprescue run
    /// before reading anything — plus conf/wpgen.toml's own (wpgen refuses those itself).
    /// </summary>
    public static CheckReport Check(WorkRoot root, bool probe = false)
    {
        var report = new CheckReport();
        var context = new Context(root, report);
        var validation = ProjectLoader.Validate(root);
        if (validation.Engine is not { } engine)
        {
            // Without conf/wparse.toml nothing else can be located.
            context.AddProblems(validation.Problems);
            return report;
        }

        var problems = validation.Problems.ToList();
        GeneratorOptions? generator = null;
        try
        {
            generator = GeneratorConfigLoader.Load(root);
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Problems.Except(problems)); // connector problems would appear twice
        }

        var config = validation.Config;
        var files = ConfigFileList(root, engine);
        var wplFiles = Directory.Exists(engine.WplRoot)
            ? Directory.GetFiles(engine.WplRoot, "parse*.wpl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var omlFiles = Directory.Exists(engine.OmlRoot)
            ? Directory.GetFiles(engine.OmlRoot, "*.oml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var generatorFile = root.Conf(GeneratorConfigLoader.FileName);
        foreach (var file in files.Concat(wplFiles).Concat(omlFiles))
        {
            var own = problems.Where(p => SamePath(p.File, file)).ToList();
            if (own.Count > 0)
            {
                context.AddProblems(own);
                continue;
            }

            var summary = file == generatorFile && !File.Exists(file)
                ? "absent: generator defaults apply"
                : wplFiles.Contains(file) ? SummarizeRules(file, validation)
                : omlFiles.Contains(file) ? SummarizeModels(file, validation)
                : Summarize(context, file, engine, config, generator);
            context.Report.Add(context.Show(file), CheckResult.Ok, summary);
        }

        var placed = files.Concat(wplFiles).Concat(omlFiles).ToList();
        context.AddProblems(problems.Where(p => !placed.Any(f => SamePath(p.File, f))));
        if (Directory.Exists(engine.WplRoot) && wplFiles.Count == 0)
        {
            context.Report.Add(context.Show(engine.WplRoot) + "/", CheckResult.Warn, "no parse*.wpl files: every line will go to the miss group");
        }

        // Each sample.dat beside a parse*.wpl must parse with its folder's rules (check only: a sample that
        // misses is a rule to fix, not a reason for wparse to refuse to run).
        if (validation.Rules is { } rules)
        {
            foreach (var (sample, ok, detail) in WplSampleCheck.Run(rules))
            {
                context.Report.Add(context.Show(sample), ok ? CheckResult.Ok : CheckResult.Fail, detail);
            }
        }

        if (!Directory.Exists(engine.OmlRoot))
        {
            context.Report.Add(context.Show(engine.OmlRoot) + "/", CheckResult.Warn, $"OML folder is missing: no models: models.oml = {context.Show(engine.OmlRoot)}");
        }

        var omlNames = config?.BusinessGroups.Sum(g => g.Oml.Count) ?? 0;
        if (omlNames > 0)
        {
            context.Report.Add("oml references", CheckResult.Ok, $"every oml name of the business groups is a model ({omlNames})");
        }

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

        CheckFolders(context, engine, config);
        if (probe && config is not null)
        {
            SinkProbe.Run(config, report, TimeProvider.System);
        }

        return report;
    }

    /// <summary>The TOML files of the project, in the order they are shown.</summary>
    private static List<string> ConfigFileList(WorkRoot root, EngineOptions engine)
    {
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
        files.Add(root.Conf(GeneratorConfigLoader.FileName));
        var knowdb = Path.Combine(engine.KnowledgeRoot, KnowledgeLoader.FileName);
        if (File.Exists(knowdb))
        {
            files.Add(knowdb);
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string SummarizeRules(string file, ProjectValidation validation)
    {
        if (validation.Rules is null)
        {
            return "rules parse";
        }

        var paths = validation.Rules.Rules.Where(r => SamePath(r.File, file)).Select(r => r.Path).ToList();
        return $"{Plural(paths.Count, "rule")}: {string.Join(", ", paths)}";
    }

    private static string SummarizeModels(string file, ProjectValidation validation) =>
        validation.Models?.FirstOrDefault(m => SamePath(m.File, file)) is { } model
            ? $"model {model.Name} (rule {string.Join(", ", model.RulePatterns)})"
            : "model parses";

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

    /// <summary>The folders of the layout: data folders are created on first use, so their absence is a warning.</summary>
    private static void CheckFolders(Context context, EngineOptions engine, ProjectConfig? config)
    {
        if (Directory.Exists(engine.SinkRoot))
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
            data.AddRange(config.Sources.Where(s => s.Enable).Select(s => (Path.GetDirectoryName(s.Path)!, $"source {s.Key}")));
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

        foreach (var source in config?.Sources.Where(s => s.Enable) ?? [])
        {
            // Network sources have no path.
            if (source.Path is { } path && !File.Exists(path) && Directory.Exists(Path.GetDirectoryName(path)))
            {
                context.Report.Add(context.Show(path), CheckResult.Warn, $"source {source.Key}: file missing (wpgen sample writes it)");
            }
        }
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
    }
}
