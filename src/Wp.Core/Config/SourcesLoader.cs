using Wp.Core.Sources;

namespace Wp.Core.Config;

/// <summary>
/// The sources: conf/wpsrc.toml by default (SPEC §4), or a folder of them (upstream's
/// <c>[topology] sources = "./topology/sources"</c>), each file holding <c>[[sources]]</c> tables or
/// one source at its top level (upstream's <c>topology/sources/file_1.toml</c>).
/// </summary>
internal static class SourcesLoader
{
    /// <summary>Reads the sources file, or every <c>*.toml</c> under the folder in ordinal path order. Problems are added.</summary>
    public static List<SourceOptions> Load(
        WorkRoot root, string fileOrFolder, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems)
    {
        var result = new List<SourceOptions>();
        var firstAt = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> files;
        if (Directory.Exists(fileOrFolder))
        {
            files = ConfigFiles.TomlFilesUnder(fileOrFolder);
            if (files.Count == 0)
            {
                problems.Add(fileOrFolder, "sources folder holds no *.toml file ([topology] sources in conf/wparse.toml)");
            }
        }
        else if (File.Exists(fileOrFolder))
        {
            files = [fileOrFolder];
        }
        else
        {
            problems.Add(fileOrFolder, "sources file not found (src_conf, or [topology] sources, in conf/wparse.toml)");
            files = [];
        }

        foreach (var file in files)
        {
            if (TomlFile.Read(file, problems) is { } doc)
            {
                result.AddRange(Read(root, doc, file, connectors, problems, firstAt));
            }
        }

        return result;
    }

    public static List<SourceOptions> Read(
        WorkRoot root, TomlTableNode doc, string file, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems) =>
        Read(root, doc, file, connectors, problems, new Dictionary<string, string>(StringComparer.Ordinal));

    private static List<SourceOptions> Read(
        WorkRoot root, TomlTableNode doc, string file, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems,
        Dictionary<string, string> firstAt)
    {
        var result = new List<SourceOptions>();
        var top = new TableReader(doc, file, problems);
        top.String("version");
        // Upstream also keeps one source per file, its keys at the top level.
        var single = doc.Get("sources") is null && (doc.Get("key") is not null || doc.Get("connect") is not null);
        foreach (var s in single ? [top] : top.TableArray("sources") ?? [])
        {
            s.StringList("tags");
            var key = s.String("key");
            var enable = s.Bool("enable") ?? true;
            var connect = s.String("connect");
            if (key is null && s.Table.Get("key") is null)
            {
                s.Missing("key");
            }

            if (connect is null && s.Table.Get("connect") is null)
            {
                s.Missing("connect");
            }

            if (key is not null)
            {
                if (firstAt.TryGetValue(key, out var first))
                {
                    s.Problem(s.Table.Get("key")!, $"duplicate source key '{key}' (first at {first})");
                }
                else
                {
                    firstAt[key] = ConfigFiles.At(file, s.Table.Get("key")!.Line);
                }
            }

            ISourceProvider? provider = null;
            if (connect is not null)
            {
                provider = SourceProviders.Find(connect);
                if (provider is null)
                {
                    s.Problem(s.Table.Get("connect")!,
                        $"unknown source connector '{connect}' for source '{key}' (known: {SourceProviders.Known}){Suggest.DidYouMean(connect, SourceProviders.All.Keys)}");
                }
            }

            if (provider is null)
            {
                s.Entry("params");
                if (!single)
                {
                    s.Done();
                }

                continue;
            }

            var parameters = s.SubTable("params");
            var settings = provider.Read(root, key ?? "?", parameters, s);
            if (!single)
            {
                s.Done();
            }

            if (key is not null && settings is not null)
            {
                result.Add(new SourceOptions
                {
                    Key = key,
                    Enable = enable,
                    Connect = connect!,
                    Provider = provider,
                    Settings = settings,
                    SourceFile = file,
                    SourceLine = s.Line,
                });
            }
        }

        top.Done();
        return result;
    }
}
