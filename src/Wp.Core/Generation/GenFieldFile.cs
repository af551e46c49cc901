using Wp.Core.Config;

namespace Wp.Core.Generation;

/// <summary>One literal of <c>choices</c>, with where it was written.</summary>
internal sealed record GenChoice(string Text, int Line, int Column);

/// <summary>
/// <c>range = [LOW, HIGH]</c> as written; what the bounds mean depends on the type of the field it is
/// applied to (integers for digit and http/status, numbers for float, date-times or time strings for
/// time and time/clf, IPv4 strings for ip), so it is interpreted when bound to a field.
/// </summary>
internal sealed record GenRange(TomlScalarNode Low, TomlScalarNode High, int Line, int Column);

/// <summary>One <c>[fields.NAME]</c> table of a gen_field.toml: at most one of range, choices, prefix.</summary>
internal sealed class GenFieldSetting
{
    public required string Name { get; init; }

    public required string File { get; init; }

    public int Line { get; init; }

    public int Column { get; init; }

    public GenRange? Range { get; init; }

    public IReadOnlyList<GenChoice>? Choices { get; init; }

    public string? Prefix { get; init; }

    public int PrefixLine { get; init; }

    public int PrefixColumn { get; init; }

    /// <summary>Set when some field of the rules beside the file carries this name.</summary>
    public bool Used { get; set; }
}

/// <summary>
/// <c>gen_field.toml</c> beside a <c>gen_rule.wpl</c>: value ranges, choices and prefixes per field
/// name. Read with the positioned TOML reader of the config loaders, so every problem names the file
/// and line; unknown keys are errors (a typo must not silently fall back to random values).
/// </summary>
internal sealed class GenFieldFile
{
    public const string FileName = "gen_field.toml";

    private GenFieldFile(string path, IReadOnlyDictionary<string, GenFieldSetting> fields)
    {
        Path = path;
        Fields = fields;
    }

    public string Path { get; }

    /// <summary>Settings by field name (the rule's effective name, e.g. <c>dev-name</c>, <c>http_status</c>).</summary>
    public IReadOnlyDictionary<string, GenFieldSetting> Fields { get; }

    public static GenFieldFile Empty(string path) => new(path, new Dictionary<string, GenFieldSetting>());

    /// <summary>Parses the text of <paramref name="path"/>; problems are added, never thrown. Null on a TOML syntax error.</summary>
    public static GenFieldFile? Parse(string path, string text, ConfigProblems problems)
    {
        if (TomlFile.Parse(text, path, problems) is not { } doc)
        {
            return null;
        }

        var fields = new Dictionary<string, GenFieldSetting>(StringComparer.Ordinal);
        var top = new TableReader(doc, path, problems);
        if (top.SubTable("fields") is { } table)
        {
            foreach (var entry in table.Table.Entries)
            {
                if (table.SubTable(entry.Key) is { } field && Read(field, entry, path) is { } setting)
                {
                    fields[entry.Key] = setting;
                }
            }

            table.Done();
        }

        top.Done();
        return new GenFieldFile(path, fields);
    }

    private static GenFieldSetting? Read(TableReader field, TomlEntry at, string path)
    {
        var range = ReadRange(field);
        var choices = ReadChoices(field);
        var prefix = field.String("prefix");
        var prefixEntry = field.Table.Get("prefix");
        if (prefix is not null && HasLineBreak(prefix))
        {
            field.Problem(prefixEntry!, $"{field.Name("prefix")} must not contain a line break");
            prefix = null;
        }

        field.Done();
        var given = (range is null ? 0 : 1) + (choices is null ? 0 : 1) + (prefix is null ? 0 : 1);
        if (given > 1)
        {
            field.Problem(at, $"{field.Table.Label}: use one of range, choices or prefix, not several");
            return null;
        }

        return new GenFieldSetting
        {
            Name = at.Key,
            File = path,
            Line = at.Line,
            Column = at.Column,
            Range = range,
            Choices = choices,
            Prefix = prefix,
            PrefixLine = prefixEntry?.Line ?? at.Line,
            PrefixColumn = prefixEntry?.Column ?? at.Column,
        };
    }

    private static GenRange? ReadRange(TableReader field)
    {
        if (field.Entry("range") is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlArrayNode { Items: [TomlScalarNode low, TomlScalarNode high] } && SameKind(low.Value, high.Value))
        {
            return new GenRange(low, high, entry.Line, entry.Column);
        }

        field.Problem(entry, $"{field.Name("range")} must be [LOW, HIGH]: two integers, numbers, date-times or strings of one kind");
        return null;
    }

    private static bool SameKind(object low, object high) => (low, high) switch
    {
        (long or double, long or double) => true,
        (string, string) => true,
        (Tomlyn.TomlDateTime, Tomlyn.TomlDateTime) => true,
        _ => false,
    };

    private static List<GenChoice>? ReadChoices(TableReader field)
    {
        if (field.Entry("choices") is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlArrayNode { Items.Count: > 0 } array)
        {
            field.Problem(entry, $"{field.Name("choices")} must be a non-empty array of strings or numbers");
            return null;
        }

        var result = new List<GenChoice>(array.Items.Count);
        foreach (var item in array.Items)
        {
            string? text = item is TomlScalarNode scalar ? scalar.Value switch
            {
                string s => s,
                long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => null,
            } : null;
            if (text is null)
            {
                field.Problem(item, $"{field.Name("choices")}: each choice must be a string, number or boolean, not {item.KindName}");
            }
            else if (HasLineBreak(text))
            {
                field.Problem(item, $"{field.Name("choices")}: a choice must not contain a line break");
            }
            else
            {
                result.Add(new GenChoice(text, item.Line, item.Column));
            }
        }

        return result.Count == array.Items.Count ? result : null;
    }

    private static bool HasLineBreak(string text) => text.AsSpan().ContainsAny('\r', '\n');
}
