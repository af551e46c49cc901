namespace Wp.Core.Config;

/// <summary>conf/wpgen.toml (SPEC §12).</summary>
internal static class GeneratorConfigLoader
{
    public const string FileName = "wpgen.toml";

    private const string DefaultConnect = "file_raw_sink";

    /// <summary>
    /// Loads conf/wpgen.toml; a missing file gives the defaults (sample, 10000 lines, unlimited,
    /// ./data/in_dat/gen.dat). Without <c>[output] connect</c>, output goes through
    /// <c>file_raw_sink</c> with base ./data/in_dat and file gen.dat.
    /// </summary>
    /// <exception cref="ConfigException">With every problem of the file (and of connectors/sink.d).</exception>
    public static GeneratorOptions Load(WorkRoot root)
    {
        var problems = new ConfigProblems();
        var connectors = ConnectorLoader.Load(root, problems);
        var file = root.Conf(FileName);
        TomlTableNode doc;
        if (!File.Exists(file))
        {
            doc = new TomlTableNode("", 1, 1);
        }
        else if (TomlFile.Read(file, problems) is { } parsed)
        {
            doc = parsed;
        }
        else
        {
            problems.ThrowIfAny();
            throw new InvalidOperationException("unreachable: unreadable file without a problem");
        }

        var result = Read(root, doc, file, connectors, problems);
        problems.ThrowIfAny();
        return result!;
    }

    private static GeneratorOptions? Read(
        WorkRoot root, TomlTableNode doc, string file, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems)
    {
        var top = new TableReader(doc, file, problems);
        top.String("version");
        var gen = top.SubTable("generator");
        var output = top.SubTable("output");
        var defaults = new GeneratorOptions { OutputPath = "" };
        var mode = gen?.OneOf("mode", "sample", "rule") == "rule" ? GeneratorMode.Rule : GeneratorMode.Sample;
        var count = gen?.Integer("count", min: 0) ?? defaults.Count;
        var speed = gen?.Integer("speed", min: 0) ?? defaults.Speed;
        var parallel = gen?.Int32("parallel", min: 1, max: 1024) ?? defaults.Parallel;
        gen?.Done();
        var log = ReadLogging(root, top.SubTable("logging"));

        var outputName = output?.String("name");
        var connect = output?.String("connect");
        var connectEntry = output?.Table.Get("connect");
        var connector = connectors.GetValueOrDefault(connect ?? DefaultConnect);
        GeneratorOptions? result = null;
        if (connector is null || !connector.IsFileLike)
        {
            var known = connectors.Values.Where(c => c.IsFileLike).Select(c => c.Id).Order(StringComparer.Ordinal);
            problems.Add(file, connectEntry?.Line, connectEntry?.Column,
                $"output.connect: '{connect}' is not a file sink connector (known: {string.Join(", ", known)})");
            output?.Entry("params");
        }
        else
        {
            var owner = output ?? new TableReader(new TomlTableNode("output", 1, 1), file, problems);
            var withDefaults = connector;
            if (connect is null)
            {
                // Generator output lands where file_src reads by default.
                var p = new Dictionary<string, object>(connector.Params, StringComparer.Ordinal) { ["base"] = "./data/in_dat", ["file"] = "gen.dat" };
                withDefaults = new ConnectorDefinition { Id = connector.Id, Type = connector.Type, AllowOverride = connector.AllowOverride, Params = p };
            }

            var merged = ConnectorLoader.MergeParams(owner, withDefaults, "the generator output");
            var (path, format) = ConnectorLoader.FileOutput(root, merged, owner, withDefaults, "the generator output", BuiltInConnectors.DefaultSinkBase, withFormat: true);
            result = new GeneratorOptions
            {
                Mode = mode,
                Count = count,
                Speed = speed,
                Parallel = parallel,
                OutputName = outputName,
                Log = log,
                Connect = connector.Id,
                Params = merged,
                OutputPath = path ?? "",
                Format = format,
            };
        }

        output?.Done();
        top.Done();
        return result;
    }

    /// <summary>Upstream's <c>[logging]</c>: level, output (file | console | both), file_path. Default: warnings into logs/wpgen.log.</summary>
    private static LogOptions ReadLogging(WorkRoot root, TableReader? logging)
    {
        if (logging is null)
        {
            return new LogOptions { Level = "warn", Path = root.LogsDir };
        }

        var level = logging.String("level");
        if (level is not null)
        {
            try
            {
                Hosting.LogLevelSpec.Parse(level, logging.File);
            }
            catch (ConfigException)
            {
                logging.Problem(logging.Table.Get("level")!,
                    $"logging.level: '{level}' is not LEVEL[,TARGET=LEVEL...] with LEVEL one of {string.Join(" | ", EngineLoader.LogLevels)}");
                level = null;
            }
        }

        var options = new LogOptions
        {
            Level = level ?? "warn",
            Output = logging.OneOf("output", "file", "console", "both") switch
            {
                "console" => LogOutput.Console,
                "both" => LogOutput.Both,
                _ => LogOutput.File,
            },
            Path = Path.TrimEndingDirectorySeparator(root.Resolve(logging.String("file_path") ?? "./logs")),
        };
        logging.Done();
        return options;
    }
}
