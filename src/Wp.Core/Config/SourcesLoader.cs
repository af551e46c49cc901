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

            ConnectorDefinition? connector = null;
            if (connect is not null)
            {
                connector = connectors.GetValueOrDefault(connect);
                if (connector is null || connector.Type != ConnectorTypes.FileSource)
                {
                    var known = connectors.Values.Where(c => c.Type == ConnectorTypes.FileSource).Select(c => c.Id).Order(StringComparer.Ordinal);
                    s.Problem(s.Table.Get("connect")!,
                        $"unknown source connector '{connect}' for source '{key}' (known: {string.Join(", ", known)}){Suggest.DidYouMean(connect, known)}");
                    connector = null;
                }
            }

            if (connector is null)
            {
                s.Entry("params");
                s.Done();
                continue;
            }

            var name = $"source '{key}'";
            var merged = ConnectorLoader.MergeParams(s, connector, name);
            var (path, _) = ConnectorLoader.FileOutput(root, merged, s, connector, name, defaultBase: "./data/in_dat");
            s.Done();
            if (key is not null && path is not null)
            {
                result.Add(new SourceOptions { Key = key, Enable = enable, Connect = connect!, Params = merged, Path = path });
            }
        }

        top.Done();
        return result;
    }
}
