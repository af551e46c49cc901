namespace Wp.Core.Config;

/// <summary>conf/wparse.toml (SPEC §3) into <see cref="EngineOptions"/>, with the §2 aliases.</summary>
internal static class EngineLoader
{
    public const string FileName = "wparse.toml";

    /// <summary>
    /// Upper bound of the durations in seconds (<c>[stat] window_sec</c>, <c>[rescue] idle_exit_sec</c>,
    /// <c>--stat</c>): one day. Timers cannot wait past ~49 days, and a longer window is a typo.
    /// </summary>
    public const int MaxSeconds = 86_400;

    /// <summary>Log level words accepted in <c>[log_conf] level</c>.</summary>
    public static readonly IReadOnlyList<string> LogLevels = ["trace", "verbose", "debug", "info", "information", "warn", "warning", "error", "fatal", "off"];

    /// <summary>Reads a parsed wparse.toml. Problems are added; the result is usable only when none were.</summary>
    public static EngineOptions Read(WorkRoot root, TomlTableNode doc, string file, ConfigProblems problems)
    {
        var defaults = new EngineOptions { RescueRoot = "", SinkRoot = "", SrcConf = "", WplRoot = "", OmlRoot = "" };
        var top = new TableReader(doc, file, problems);
        var topology = top.SubTable("topology");
        var performance = top.SubTable("performance");
        var rescue = top.SubTable("rescue");
        var models = top.SubTable("models");
        var log = top.SubTable("log_conf");
        var stat = top.SubTable("stat");

        var spellings = new List<ConfigSpelling>();
        var noEffect = new List<ConfigNote>();
        var rescueRoot = AliasedString(top, "rescue_root", rescue, "path", spellings);
        var sinkRoot = AliasedString(top, "sink_root", topology, "sinks", spellings);
        var srcConf = AliasedString(top, "src_conf", topology, "sources", spellings);
        var speedLimit = Aliased(top, "speed_limit", performance, "rate_limit_rps", (r, k) => r.Integer(k, min: 0), spellings);
        var parseWorkers = Aliased(top, "parse_workers", performance, "parse_workers", (r, k) => r.Int32(k, min: 1, max: 1024), spellings);
        NoEffect(top, "robust", "wp has one robustness behaviour: the per-group on_error strategy", noEffect);
        foreach (var key in new[] { "reload_timeout_ms", "fetch_timeout_ms", "picker_fetch_timeout_ms" })
        {
            NoEffect(performance, key, "wp has no hot reload and no polling picker: sources push lines as they read them", noEffect);
        }

        var logFile = log?.SubTable("file");
        var options = new EngineOptions
        {
            Version = top.String("version") ?? defaults.Version,
            RescueRoot = root.Resolve(rescueRoot ?? "./data/rescue"),
            SinkRoot = root.Resolve(sinkRoot ?? "./sink"),
            SrcConf = root.Resolve(srcConf ?? "./conf/wpsrc.toml"),
            PosRoot = root.Resolve(top.String("pos_root") ?? "./data/pos"),
            SpeedLimit = speedLimit ?? defaults.SpeedLimit,
            ParseWorkers = parseWorkers ?? defaults.ParseWorkers,
            WplRoot = root.Resolve(models?.String("wpl") ?? "./models/wpl"),
            OmlRoot = root.Resolve(models?.String("oml") ?? "./models/oml"),
            KnowledgeRoot = root.Resolve(models?.String("knowledge") ?? "./models/knowledge"),
            Rescue = ReadRescue(rescue),
            Log = new LogOptions
            {
                Level = ReadLevel(log) ?? defaults.Log.Level,
                Output = log?.OneOf("output", "file", "console", "both") switch
                {
                    "console" => LogOutput.Console,
                    "both" => LogOutput.Both,
                    _ => LogOutput.File,
                },
                Path = root.Resolve(logFile?.String("path") ?? "./logs"),
            },
            StatWindowSec = stat?.Int32("window_sec", min: 1, max: MaxSeconds) ?? defaults.StatWindowSec,
            StatRequests = ReadStatRequests(stat, noEffect),
            Spellings = spellings,
            NoEffect = noEffect,
        };

        foreach (var reader in new[] { topology, performance, rescue, models, logFile, log, stat, top })
        {
            reader?.Done();
        }

        return options;
    }

    /// <summary>The stages an upstream <c>[[stat.STAGE]]</c> table may name.</summary>
    public static readonly IReadOnlyList<string> StatStages = ["pick", "parse", "sink"];

    /// <summary>Upstream's <c>[[stat.pick]]</c>, <c>[[stat.parse]]</c>, <c>[[stat.sink]]</c>: key, target, fields, top_n.</summary>
    private static List<StatRequest> ReadStatRequests(TableReader? stat, List<ConfigNote> noEffect)
    {
        var result = new List<StatRequest>();
        foreach (var stage in StatStages)
        {
            foreach (var t in stat?.TableArray(stage) ?? [])
            {
                var key = t.String("key") ?? $"{stage}_stat";
                var target = t.String("target") ?? "*";
                var fields = t.StringList("fields") ?? [];
                var topN = t.Int32("top_n", min: 1, max: 1_000_000);
                if (fields.Count > 0)
                {
                    var at = t.Table.Get("fields")!;
                    noEffect.Add(new ConfigNote(t.File, at.Line, at.Column,
                        $"stat.{stage} '{key}': fields = [{string.Join(", ", fields)}] has no effect: wp counts per {stage} item, not per field value"));
                }

                t.Done();
                result.Add(new StatRequest(stage, key, target, fields, topN));
            }
        }

        return result;
    }

    /// <summary>Marks an upstream key as known and notes that it changes nothing here.</summary>
    private static void NoEffect(TableReader? owner, string key, string why, List<ConfigNote> notes)
    {
        if (owner?.Entry(key) is { } entry)
        {
            notes.Add(new ConfigNote(owner.File, entry.Line, entry.Column, $"{owner.Name(key)} is read but has no effect in wp: {why}"));
        }
    }

    private static RescueOptions ReadRescue(TableReader? rescue)
    {
        var defaults = new RescueOptions();
        if (rescue is null)
        {
            return defaults;
        }

        return new RescueOptions
        {
            Order = rescue.OneOf("order", "newest", "oldest") == "oldest" ? RescueOrder.Oldest : RescueOrder.Newest,
            MaxFileBytes = rescue.Integer("max_file_bytes", min: 1) ?? defaults.MaxFileBytes,
            CheckpointEveryLines = rescue.Int32("checkpoint_every_lines", min: 1) ?? defaults.CheckpointEveryLines,
            IdleExitSec = rescue.Number("idle_exit_sec", min: 0, max: MaxSeconds) ?? defaults.IdleExitSec,
        };
    }

    /// <summary>"warn,ctrl=info": a root level, then target=level pairs; every level word must be known.</summary>
    private static string? ReadLevel(TableReader? log)
    {
        if (log?.String("level") is not { } level)
        {
            return null;
        }

        foreach (var part in level.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var word = eq < 0 ? part : part[(eq + 1)..].Trim();
            var target = eq < 0 ? "x" : part[..eq].Trim();
            if (target.Length == 0 || !LogLevels.Contains(word.ToLowerInvariant(), StringComparer.Ordinal))
            {
                log.Problem(log.Table.Get("level")!,
                    $"log_conf.level: '{part}' is not LEVEL or TARGET=LEVEL with LEVEL one of {string.Join(" | ", LogLevels)}");
                return null;
            }
        }

        return level;
    }

    private static string? AliasedString(TableReader canonicalOwner, string key, TableReader? aliasOwner, string aliasKey, List<ConfigSpelling> spellings) =>
        Aliased(canonicalOwner, key, aliasOwner, aliasKey, (r, k) => r.String(k), spellings);

    /// <summary>
    /// A key that also has an alias (SPEC §2 newer upstream layout). Setting both is a problem,
    /// because which one wins would be a silent guess.
    /// </summary>
    private static T? Aliased<T>(
        TableReader canonicalOwner, string key, TableReader? aliasOwner, string aliasKey, Func<TableReader, string, T?> read, List<ConfigSpelling> spellings)
    {
        var value = read(canonicalOwner, key);
        if (aliasOwner is null || aliasOwner.Table.Get(aliasKey) is not { } aliasEntry)
        {
            return value;
        }

        var aliasValue = read(aliasOwner, aliasKey);
        if (canonicalOwner.Table.Get(key) is not null)
        {
            aliasOwner.Problem(aliasEntry, $"{aliasOwner.Name(aliasKey)} is an alias of {canonicalOwner.Name(key)}; set only one of them");
            return value;
        }

        spellings.Add(new ConfigSpelling(aliasOwner.Name(aliasKey), canonicalOwner.Name(key)));
        return aliasValue;
    }
}
