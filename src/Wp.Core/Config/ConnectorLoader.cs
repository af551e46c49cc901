using Wp.Core.Sinks;

namespace Wp.Core.Config;

/// <summary>Connectors: the built-ins (SPEC §7.1) plus connectors/sink.d/**.toml, and how a sink's params merge onto them.</summary>
internal static class ConnectorLoader
{
    /// <summary>Where extra or overriding connector definitions live, relative to the work root.</summary>
    public const string SinkConnectorDir = "connectors/sink.d";

    /// <summary>
    /// The built-ins overlaid by connectors/sink.d/**.toml (a definition with a built-in id
    /// replaces it). Problems are added, not thrown.
    /// </summary>
    public static Dictionary<string, ConnectorDefinition> Load(WorkRoot root, ConfigProblems problems)
    {
        var result = new Dictionary<string, ConnectorDefinition>(BuiltInConnectors.All, StringComparer.Ordinal);
        var fromFiles = new Dictionary<string, ConnectorDefinition>(StringComparer.Ordinal);
        foreach (var file in ConfigFiles.TomlFilesUnder(root.Resolve(SinkConnectorDir)))
        {
            if (TomlFile.Read(file, problems) is not { } doc)
            {
                continue;
            }

            var top = new TableReader(doc, file, problems);
            top.String("version");
            foreach (var c in top.TableArray("connectors") ?? [])
            {
                if (ReadDefinition(c) is not { } def)
                {
                    continue;
                }

                if (fromFiles.TryGetValue(def.Id, out var first))
                {
                    c.ProblemHere($"duplicate connector id '{def.Id}' (first defined at {ConfigFiles.At(first.SourceFile!, first.SourceLine)})");
                    continue;
                }

                fromFiles[def.Id] = def;
                result[def.Id] = def;
            }

            top.Done();
        }

        return result;
    }

    private static ConnectorDefinition? ReadDefinition(TableReader c)
    {
        var id = c.String("id");
        var type = c.String("type");
        var typeEntry = c.Table.Get("type");
        var allow = c.StringList("allow_override") ?? [];
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        if (c.SubTable("params") is { } p)
        {
            foreach (var entry in p.Table.Entries)
            {
                parameters[entry.Key] = ConfigFiles.ToPlain(p.Entry(entry.Key)!.Value);
            }

            p.Done();
        }

        c.Done();
        if (id is null)
        {
            if (c.Table.Get("id") is null)
            {
                c.Missing("id");
            }

            return null;
        }

        if (type is null)
        {
            if (typeEntry is null)
            {
                c.Missing("type");
            }

            return null;
        }

        if (SinkProviders.Find(type) is null)
        {
            c.Problem(typeEntry!, $"unknown connector type '{type}' for connector '{id}' (known: {string.Join(", ", SinkProviders.Types)})");
            return null;
        }

        return new ConnectorDefinition
        {
            Id = id,
            Type = type,
            AllowOverride = allow,
            Params = parameters,
            SourceFile = c.File,
            SourceLine = c.Line,
        };
    }

    /// <summary>
    /// Connector params overlaid by the <c>params</c> table of <paramref name="owner"/> (a sink,
    /// a source, the generator output). A key not in the connector's allow_override is a problem
    /// at the key's line. <c>${NAME}</c> in string values is expanded from the environment
    /// (SPEC §7.6); an unset variable is a problem naming the file, line and variable (never the value).
    /// </summary>
    public static Dictionary<string, object> MergeParams(TableReader owner, ConnectorDefinition connector, string ownerName) =>
        MergeParams(owner, connector, ownerName, Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="MergeParams(TableReader, ConnectorDefinition, string)"/>
    public static Dictionary<string, object> MergeParams(TableReader owner, ConnectorDefinition connector, string ownerName, Func<string, string?> environment)
    {
        var merged = new Dictionary<string, object>(StringComparer.Ordinal);
        var fromOwner = new HashSet<string>(StringComparer.Ordinal);
        if (owner.SubTable("params") is { } p)
        {
            foreach (var entry in p.Table.Entries)
            {
                p.Entry(entry.Key);
                if (!connector.AllowOverride.Contains(entry.Key, StringComparer.Ordinal))
                {
                    var allowed = connector.AllowOverride.Count == 0 ? "none" : string.Join(", ", connector.AllowOverride);
                    p.Problem(entry, $"param '{entry.Key}' of {ownerName} may not be overridden: connector '{connector.Id}' allows {allowed}{Suggest.DidYouMean(entry.Key, connector.AllowOverride)}");
                    continue;
                }

                fromOwner.Add(entry.Key);
                // On an unset variable the value stays as written (no follow-up "missing param" problem).
                ParamExpansion.TryExpand(ConfigFiles.ToPlain(entry.Value), environment, out var value, out var unset);
                merged[entry.Key] = value;
                if (unset is not null)
                {
                    p.Problem(entry, $"param '{entry.Key}' of {ownerName}: environment variable '{unset}' is not set");
                }
            }

            p.Done();
        }

        foreach (var (key, raw) in connector.Params)
        {
            if (fromOwner.Contains(key))
            {
                continue;
            }

            ParamExpansion.TryExpand(raw, environment, out var value, out var unset);
            merged[key] = value;
            if (unset is not null)
            {
                ParamProblem(owner, connector, key, $"param '{key}' of connector '{connector.Id}' (used by {ownerName}): environment variable '{unset}' is not set");
            }
        }

        return merged;
    }

    /// <summary>The output of a file-like connector: absolute path of base + file, and the format.</summary>
    public static (string? Path, string Format) FileOutput(
        WorkRoot root, IReadOnlyDictionary<string, object> merged, TableReader owner, ConnectorDefinition connector, string ownerName, string defaultBase, bool withFormat)
    {
        string? Text(string key, string? fallback)
        {
            if (!merged.TryGetValue(key, out var value))
            {
                return fallback;
            }

            if (value is string s && s.Length > 0)
            {
                return s;
            }

            ParamProblem(owner, connector, key, $"param '{key}' of {ownerName} must be a non-empty string");
            return null;
        }

        var baseDir = Text("base", defaultBase);
        var file = Text("file", null);
        if (file is null && !merged.ContainsKey("file"))
        {
            ParamProblem(owner, connector, "file", $"{ownerName} needs param 'file' (connector '{connector.Id}' gives none)");
        }

        var format = SinkFormats.Kv;
        if (withFormat)
        {
            var fmt = Text("fmt", SinkFormats.Kv);
            if (fmt is not null && !SinkFormats.All.Contains(fmt, StringComparer.Ordinal))
            {
                ParamProblem(owner, connector, "fmt", $"param 'fmt' of {ownerName} must be one of {string.Join(" | ", SinkFormats.All)} (got '{fmt}'){Suggest.DidYouMean(fmt, SinkFormats.All)}");
            }
            else if (fmt is not null)
            {
                format = fmt;
            }
        }

        return (baseDir is null || file is null ? null : Path.Combine(root.Resolve(baseDir), file), format);
    }

    /// <summary>Reports a bad param where it was set: the owner's params entry, else the connector file, else the owner.</summary>
    internal static void ParamProblem(TableReader owner, ConnectorDefinition connector, string key, string message)
    {
        if (owner.Table.Get("params")?.Value is TomlTableNode p && p.Get(key) is { } entry)
        {
            owner.Problems.Add(owner.File, entry.Line, entry.Column, message);
        }
        else if (connector.SourceFile is not null)
        {
            owner.Problems.Add(connector.SourceFile, connector.SourceLine, null, message);
        }
        else
        {
            owner.ProblemHere(message);
        }
    }
}
