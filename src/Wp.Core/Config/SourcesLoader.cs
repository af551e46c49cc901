using Wp.Core.Sources;

namespace Wp.Core.Config;

/// <summary>The sources file, conf/wpsrc.toml by default (SPEC §4).</summary>
internal static class SourcesLoader
{
    public static List<SourceOptions> Read(
        WorkRoot root, TomlTableNode doc, string file, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems)
    {
        var result = new List<SourceOptions>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var top = new TableReader(doc, file, problems);
        top.String("version");
        foreach (var s in top.TableArray("sources") ?? [])
        {
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
                if (firstLine.TryGetValue(key, out var line))
                {
                    s.Problem(s.Table.Get("key")!, $"duplicate source key '{key}' (first at {ConfigFiles.At(file, line)})");
                }
                else
                {
                    firstLine[key] = s.Table.Get("key")!.Line;
                }
            }

            ISourceProvider? provider = null;
            if (connect is not null)
            {
                provider = SourceProviders.Find(connect);
                if (provider is null)
                {
                    s.Problem(s.Table.Get("connect")!,
                        $"unknown source connector '{connect}' for source '{key}' (known: {SourceProviders.Known})");
                }
            }

            if (provider is null)
            {
                s.Entry("params");
                s.Done();
                continue;
            }

            var parameters = s.SubTable("params");
            var settings = provider.Read(root, key ?? "?", parameters, s);
            s.Done();
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
