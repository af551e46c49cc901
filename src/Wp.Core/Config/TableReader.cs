namespace Wp.Core.Config;

/// <summary>
/// Reads the keys of one TOML table with type checks, remembering which keys were read so
/// that <see cref="Done"/> can report every key nobody asked for as unknown (typos must not
/// be silently ignored, SPEC §3). Every problem goes to the shared <see cref="ConfigProblems"/>;
/// no method throws on bad input.
/// </summary>
internal sealed class TableReader
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TableReader(TomlTableNode table, string file, ConfigProblems problems)
    {
        Table = table;
        File = file;
        Problems = problems;
    }

    public TomlTableNode Table { get; }

    public string File { get; }

    public ConfigProblems Problems { get; }

    public int Line => Table.Line;

    /// <summary>The entry for <paramref name="key"/>, marking the key as known.</summary>
    public TomlEntry? Entry(string key)
    {
        _known.Add(key);
        return Table.Get(key);
    }

    /// <summary>How messages name a key of this table: <c>speed_limit</c>, <c>rescue.order</c>.</summary>
    public string Name(string key) => Table.ChildPath(key);

    public void Problem(TomlEntry at, string message) => Problems.Add(File, at.Line, at.Column, message);

    public void Problem(TomlNode at, string message) => Problems.Add(File, at.Line, at.Column, message);

    public void ProblemHere(string message) => Problems.Add(File, Table.Line, Table.Column, message);

    public string? String(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlScalarNode { Value: string value })
        {
            return value;
        }

        Problem(entry, $"{Name(key)} must be a string, not {entry.Value.KindName}");
        return null;
    }

    public bool? Bool(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlScalarNode { Value: bool value })
        {
            return value;
        }

        Problem(entry, $"{Name(key)} must be a boolean, not {entry.Value.KindName}");
        return null;
    }

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlScalarNode { Value: long value })
        {
            Problem(entry, $"{Name(key)} must be an integer, not {entry.Value.KindName}");
            return null;
        }

        if (value < min || value > max)
        {
            Problem(entry, $"{Name(key)} must be {RangeText(min, max)} (got {value})");
            return null;
        }

        return value;
    }

    public int? Int32(string key, int min = int.MinValue, int max = int.MaxValue) =>
        (int?)Integer(key, min, max);

    /// <summary>A float; integers are accepted too (<c>ratio = 1</c>).</summary>
    public double? Number(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        double value;
        switch (entry.Value)
        {
            case TomlScalarNode { Value: double d }:
                value = d;
                break;
            case TomlScalarNode { Value: long l }:
                value = l;
                break;
            default:
                Problem(entry, $"{Name(key)} must be a number, not {entry.Value.KindName}");
                return null;
        }

        if (double.IsNaN(value) || value < min || value > max)
        {
            Problem(entry, $"{Name(key)} must be {RangeText(min, max)} (got {value})");
            return null;
        }

        return value;
    }

    /// <summary>
    /// A string that must be one of <paramref name="allowed"/>, compared ignoring case (upstream
    /// writes <c>output = "File"</c>); returns the spelling of <paramref name="allowed"/>.
    /// </summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var value = String(key);
        if (value is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Problem(Table.Get(key)!, $"{Name(key)} must be one of {string.Join(" | ", allowed)} (got '{value}'){Suggest.DidYouMean(value, allowed)}");
        }

        return match;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlArrayNode array)
        {
            Problem(entry, $"{Name(key)} must be an array of strings, not {entry.Value.KindName}");
            return null;
        }

        var result = new List<string>();
        foreach (var item in array.Items)
        {
            if (item is TomlScalarNode { Value: string s })
            {
                result.Add(s);
            }
            else
            {
                Problem(item, $"{Name(key)} must be an array of strings; found {item.KindName}");
            }
        }

        return result;
    }

    /// <summary>A sub-table (<c>[a.b]</c> or inline). The caller reads it and calls <see cref="Done"/> on it.</summary>
    public TableReader? SubTable(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlTableNode table)
        {
            Problem(entry, $"{Name(key)} must be a table, not {entry.Value.KindName}");
            return null;
        }

        return new TableReader(table, File, Problems);
    }

    /// <summary>An array of tables (<c>[[a.b]]</c>, or an array of inline tables).</summary>
    public IReadOnlyList<TableReader>? TableArray(string key)
    {
        if (Entry(key) is not { } entry)
        {
            return null;
        }

        switch (entry.Value)
        {
            case TomlTableArrayNode array:
                return array.Tables.Select(t => new TableReader(t, File, Problems)).ToList();
            case TomlArrayNode array when array.Items.All(i => i is TomlTableNode):
                return array.Items.Select(t => new TableReader((TomlTableNode)t, File, Problems)).ToList();
            default:
                Problem(entry, $"{Name(key)} must be an array of tables ([[{Name(key)}]]), not {entry.Value.KindName}");
                return null;
        }
    }

    /// <summary>Reports a missing required key at the table's header line.</summary>
    public void Missing(string key) => ProblemHere($"missing required key '{key}' in {Table.Label}");

    /// <summary>Reports every key of this table that no reader method asked for.</summary>
    public void Done()
    {
        foreach (var entry in Table.Entries)
        {
            if (!_known.Contains(entry.Key))
            {
                Problem(entry, $"unknown key '{entry.Key}' in {Table.Label}{Suggest.DidYouMean(entry.Key, _known)}");
            }
        }
    }

    private static string RangeText(double min, double max) =>
        (min <= double.MinValue || min <= long.MinValue, max >= double.MaxValue || max >= long.MaxValue) switch
        {
            (true, true) => "a number",
            (false, true) => $">= {min}",
            (true, false) => $"<= {max}",
            _ => $"between {min} and {max}",
        };
}
