using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Wp.Core.Config;

/// <summary>
/// A TOML value with the 1-based line and column it was written at. Tomlyn's object model
/// drops positions, so config files are read from its syntax tree into these nodes, which
/// lets every validation message name the line of the offending key.
/// </summary>
internal abstract class TomlNode
{
    protected TomlNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>A short description of the TOML kind, for "must be …, not …" messages.</summary>
    public abstract string KindName { get; }
}

/// <summary>A scalar: string, long, double, bool or <see cref="Tomlyn.TomlDateTime"/>.</summary>
internal sealed class TomlScalarNode(object value, int line, int column) : TomlNode(line, column)
{
    public object Value { get; } = value;

    public override string KindName => Value switch
    {
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        _ => "a date-time",
    };
}

internal sealed class TomlArrayNode(IReadOnlyList<TomlNode> items, int line, int column) : TomlNode(line, column)
{
    public IReadOnlyList<TomlNode> Items { get; } = items;

    public override string KindName => "an array";
}

/// <summary>An array of tables (<c>[[name]]</c>).</summary>
internal sealed class TomlTableArrayNode(int line, int column) : TomlNode(line, column)
{
    public List<TomlTableNode> Tables { get; } = [];

    public override string KindName => "an array of tables";
}

/// <summary>One key of a table: where the key was written, and its value.</summary>
internal sealed record TomlEntry(string Key, int Line, int Column, TomlNode Value);

/// <summary>A table (document root, <c>[header]</c>, dotted-key parent or inline table), keys in written order.</summary>
internal sealed class TomlTableNode(string path, int line, int column) : TomlNode(line, column)
{
    private readonly Dictionary<string, TomlEntry> _byKey = new(StringComparer.Ordinal);
    private readonly List<TomlEntry> _entries = [];

    /// <summary>Dotted path from the document root; empty for the root.</summary>
    public string Path { get; } = path;

    public IReadOnlyList<TomlEntry> Entries => _entries;

    public override string KindName => "a table";

    /// <summary>True for an element of an array of tables (<c>[[sources]]</c>).</summary>
    public bool IsArrayElement { get; init; }

    /// <summary>How messages name this table: <c>[rescue]</c>, <c>[[sources]]</c>, or "the top level".</summary>
    public string Label => Path.Length == 0 ? "the top level" : IsArrayElement ? $"[[{Path}]]" : $"[{Path}]";

    public string ChildPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public TomlEntry? Get(string key) => _byKey.GetValueOrDefault(key);

    public void Set(TomlEntry entry)
    {
        if (_byKey.TryGetValue(entry.Key, out var old))
        {
            _entries.Remove(old);
        }

        _byKey[entry.Key] = entry;
        _entries.Add(entry);
    }
}

/// <summary>Reads a TOML file into <see cref="TomlTableNode"/>s, reporting syntax errors with line and column.</summary>
internal static class TomlFile
{
    private const int MaxSyntaxErrorsPerFile = 10;

    /// <summary>
    /// Parses <paramref name="path"/>. On a syntax or I/O error adds the problems and returns null.
    /// A missing file is not checked here; callers decide whether it is allowed. Does not throw.
    /// </summary>
    public static TomlTableNode? Read(string path, ConfigProblems problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(path, $"cannot read file: {ex.Message}");
            return null;
        }

        return Parse(text, path, problems);
    }

    /// <summary>Parses TOML text; <paramref name="fileName"/> is only used in problems.</summary>
    public static TomlTableNode? Parse(string text, string fileName, ConfigProblems problems)
    {
        // validate: true also reports semantic errors (duplicate keys, redefined tables).
        DocumentSyntax doc;
        try
        {
            doc = SyntaxParser.Parse(text, fileName, validate: true);
        }
        catch (Exception ex) when (ex is Tomlyn.TomlException or ArgumentException or OverflowException or FormatException)
        {
            // The parser reports errors as diagnostics; this only guards against a library bug turning into a crash.
            problems.Add(fileName, $"invalid TOML: {ex.Message}");
            return null;
        }

        if (doc.HasErrors)
        {
            var errors = doc.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error).ToList();
            foreach (var d in errors.Take(MaxSyntaxErrorsPerFile))
            {
                problems.Add(fileName, d.Span.Start.Line + 1, d.Span.Start.Column + 1, $"invalid TOML: {d.Message}");
            }

            if (errors.Count > MaxSyntaxErrorsPerFile)
            {
                problems.Add(fileName, $"invalid TOML: {errors.Count - MaxSyntaxErrorsPerFile} more syntax errors not shown");
            }

            return null;
        }

        return Build(doc);
    }

    private static TomlTableNode Build(DocumentSyntax doc)
    {
        var root = new TomlTableNode("", 1, 1);
        foreach (var kv in doc.KeyValues)
        {
            Assign(root, kv);
        }

        foreach (var table in doc.Tables)
        {
            var parts = KeyParts(table.Name!);
            var (line, column) = Position(table);
            var parent = root;
            for (var i = 0; i < parts.Count - 1; i++)
            {
                parent = ChildTable(parent, parts[i], line, column);
            }

            var last = parts[^1];
            TomlTableNode target;
            if (table is TableArraySyntax)
            {
                if (parent.Get(last)?.Value is not TomlTableArrayNode array)
                {
                    array = new TomlTableArrayNode(line, column);
                    parent.Set(new TomlEntry(last, line, column, array));
                }

                target = new TomlTableNode(parent.ChildPath(last), line, column) { IsArrayElement = true };
                array.Tables.Add(target);
            }
            else
            {
                target = ChildTable(parent, last, line, column);
            }

            foreach (var kv in table.Items)
            {
                Assign(target, kv);
            }
        }

        return root;
    }

    /// <summary>The table under <paramref name="key"/>, created if absent; for an array of tables, its last element.</summary>
    private static TomlTableNode ChildTable(TomlTableNode parent, string key, int line, int column)
    {
        switch (parent.Get(key)?.Value)
        {
            case TomlTableNode existing:
                return existing;
            case TomlTableArrayNode array when array.Tables.Count > 0:
                return array.Tables[^1];
            default:
                // Absent (conflicts were already rejected by Tomlyn's validation).
                var created = new TomlTableNode(parent.ChildPath(key), line, column);
                parent.Set(new TomlEntry(key, line, column, created));
                return created;
        }
    }

    private static void Assign(TomlTableNode table, KeyValueSyntax kv)
    {
        var parts = KeyParts(kv.Key!);
        var (line, column) = Position(kv.Key!);
        for (var i = 0; i < parts.Count - 1; i++)
        {
            table = ChildTable(table, parts[i], line, column);
        }

        var key = parts[^1];
        table.Set(new TomlEntry(key, line, column, Convert(kv.Value!, table.ChildPath(key))));
    }

    private static TomlNode Convert(ValueSyntax value, string path)
    {
        var (line, column) = Position(value);
        switch (value)
        {
            case StringValueSyntax s:
                return new TomlScalarNode(s.Value ?? "", line, column);
            case IntegerValueSyntax n:
                return new TomlScalarNode(n.Value, line, column);
            case FloatValueSyntax f:
                return new TomlScalarNode(f.Value, line, column);
            case BooleanValueSyntax b:
                return new TomlScalarNode(b.Value, line, column);
            case DateTimeValueSyntax d:
                return new TomlScalarNode(d.Value, line, column);
            case ArraySyntax a:
                return new TomlArrayNode(a.Items.Select(item => Convert(item.Value!, path)).ToList(), line, column);
            case InlineTableSyntax t:
                var table = new TomlTableNode(path, line, column);
                foreach (var item in t.Items)
                {
                    Assign(table, item.KeyValue!);
                }

                return table;
            default:
                throw new InvalidOperationException($"unexpected TOML syntax node {value.GetType().Name}");
        }
    }

    private static List<string> KeyParts(KeySyntax key)
    {
        var parts = new List<string> { KeyText(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            parts.Add(KeyText(dotted.Key!));
        }

        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => key.ToString() ?? "",
    };

    private static (int Line, int Column) Position(SyntaxNodeBase node) =>
        (node.Span.Start.Line + 1, node.Span.Start.Column + 1);
}
