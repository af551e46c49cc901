namespace Wp.Core.Config;

/// <summary>File-system helpers shared by the loaders.</summary>
internal static class ConfigFiles
{
    /// <summary>
    /// Every <c>*.toml</c> under <paramref name="dir"/>, recursively, in ordinal order of the
    /// path relative to <paramref name="dir"/> (so load order is the same on every platform).
    /// A missing folder gives an empty list.
    /// </summary>
    public static IReadOnlyList<string> TomlFilesUnder(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.EnumerateFiles(dir, "*.toml", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(dir, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => f.Full)
            .ToList();
    }

    /// <summary>"file:line" for messages that point at a second place.</summary>
    public static string At(string file, int? line) => line is null ? file : $"{file}:{line}";

    /// <summary>Converts a TOML value to the plain objects kept in params: string, long, double, bool, lists, dictionaries.</summary>
    public static object ToPlain(TomlNode node) => node switch
    {
        TomlScalarNode s => s.Value,
        TomlArrayNode a => a.Items.Select(ToPlain).ToList(),
        TomlTableNode t => t.Entries.ToDictionary(e => e.Key, e => ToPlain(e.Value), StringComparer.Ordinal),
        TomlTableArrayNode ta => ta.Tables.Select(ToPlain).ToList(),
        _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
    };
}
