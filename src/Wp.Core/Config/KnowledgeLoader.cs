using System.Text;
using System.Text.RegularExpressions;

namespace Wp.Core.Config;

/// <summary>models/knowledge/knowdb.toml and the CSV table it names, loaded and validated.</summary>
internal sealed class KnowledgeBase
{
    /// <summary>The knowdb.toml file read.</summary>
    public required string File { get; init; }

    public required IReadOnlyList<KnowledgeTable> Tables { get; init; }
}

/// <summary>One <c>[[tables]]</c> entry: its CSV rows, projected on the configured columns.</summary>
internal sealed class KnowledgeTable
{
    public required string Name { get; init; }

    /// <summary>Absolute path of the CSV file.</summary>
    public required string DataFile { get; init; }

    /// <summary>Column names in row order (<c>columns.by_header</c>, or <c>col0..</c> for <c>by_index</c>, or the whole header).</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    public required IReadOnlyList<string[]> Rows { get; init; }

    /// <summary>Bad rows left out under <c>on_error = "skip"</c>.</summary>
    public int SkippedRows { get; init; }
}

/// <summary>
/// Upstream's knowledge folder (SPEC-free, WarpParse compatible): <c>knowdb.toml</c> with
/// <c>version</c>, <c>base_dir</c> and <c>[[tables]]</c> (<c>name</c>, <c>dir</c> = name,
/// <c>data_file</c> = data.csv, <c>has_header</c> = true, <c>columns.by_header</c> /
/// <c>columns.by_index</c>, <c>expected_rows.min/max</c>, <c>on_error</c> = fail | skip,
/// <c>transaction</c>, <c>batch_size</c>, <c>enabled</c>). Every problem is added with file and line;
/// nothing throws for bad input. The SQL files upstream feeds to SQLite (create.sql, insert.sql)
/// are not needed: wp keeps the rows in memory.
/// </summary>
internal static partial class KnowledgeLoader
{
    public const string FileName = "knowdb.toml";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex TableNamePattern();

    /// <summary>Null when the folder has no knowdb.toml (knowledge is optional).</summary>
    public static KnowledgeBase? Load(WorkRoot root, string knowledgeRoot, ConfigProblems problems)
    {
        var file = Path.Combine(knowledgeRoot, FileName);
        if (!System.IO.File.Exists(file) || TomlFile.Read(file, problems) is not { } doc)
        {
            return null;
        }

        var top = new TableReader(doc, file, problems);
        top.Entry("version"); // upstream writes version = 2 (an integer) or "2"
        var baseDir = top.String("base_dir");
        // base_dir is relative to the work root, as upstream reads it; default: the folder of knowdb.toml.
        var dataRoot = baseDir is null ? knowledgeRoot : root.Resolve(baseDir);
        var tables = new List<KnowledgeTable>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in top.TableArray("tables") ?? [])
        {
            if (ReadTable(t, dataRoot, names) is { } table)
            {
                tables.Add(table);
            }
        }

        top.Done();
        return new KnowledgeBase { File = file, Tables = tables };
    }

    private static KnowledgeTable? ReadTable(TableReader t, string dataRoot, HashSet<string> names)
    {
        var name = t.String("name");
        var dir = t.String("dir");
        var dataFile = t.String("data_file");
        var hasHeader = t.Bool("has_header") ?? true;
        var enabled = t.Bool("enabled") ?? true;
        var onError = t.OneOf("on_error", "fail", "skip") ?? "fail";
        t.Bool("transaction");
        t.Int32("batch_size", min: 1);
        IReadOnlyList<string>? byHeader = null;
        List<int>? byIndex = null;
        if (t.SubTable("columns") is { } columns)
        {
            byHeader = columns.StringList("by_header");
            byIndex = ReadIndexes(columns);
            columns.Done();
        }

        long? min = null, max = null;
        if (t.SubTable("expected_rows") is { } expected)
        {
            min = expected.Integer("min", min: 0);
            max = expected.Integer("max", min: 0);
            expected.Done();
        }

        t.Done();
        if (name is null)
        {
            if (t.Table.Get("name") is null)
            {
                t.Missing("name");
            }

            return null;
        }

        var nameEntry = t.Table.Get("name")!;
        if (!TableNamePattern().IsMatch(name))
        {
            t.Problem(nameEntry, $"knowledge table name '{name}' must match [A-Za-z_][A-Za-z0-9_]*");
            return null;
        }

        if (!names.Add(name))
        {
            t.Problem(nameEntry, $"duplicate knowledge table '{name}'");
            return null;
        }

        if (!enabled)
        {
            return null;
        }

        if (!hasHeader && byIndex is null)
        {
            t.ProblemHere($"knowledge table '{name}': has_header = false needs columns.by_index");
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(dataRoot, dir ?? name, dataFile ?? "data.csv"));
        if (!System.IO.File.Exists(path))
        {
            t.Problem(nameEntry, $"knowledge table '{name}': data file {path} not found");
            return null;
        }

        return ReadCsv(t, name, path, hasHeader, byHeader, byIndex, onError == "skip", min, max);
    }

    private static List<int>? ReadIndexes(TableReader columns)
    {
        if (columns.Entry("by_index") is not { } entry)
        {
            return null;
        }

        var result = new List<int>();
        if (entry.Value is TomlArrayNode array)
        {
            foreach (var item in array.Items)
            {
                if (item is TomlScalarNode { Value: long i } && i >= 0 && i < int.MaxValue)
                {
                    result.Add((int)i);
                }
                else
                {
                    columns.Problem(item, "columns.by_index must be an array of column numbers (0 or more)");
                }
            }
        }
        else
        {
            columns.Problem(entry, $"columns.by_index must be an array of column numbers, not {entry.Value.KindName}");
        }

        return result;
    }

    private static KnowledgeTable? ReadCsv(
        TableReader t, string name, string path, bool hasHeader, IReadOnlyList<string>? byHeader, List<int>? byIndex, bool skipBad, long? min, long? max)
    {
        var problems = t.Problems;
        var records = CsvReader.Read(path);
        var width = -1;
        string[]? header = null;
        int[] pick;
        IReadOnlyList<string> columnNames;
        var start = 0;
        if (hasHeader)
        {
            if (records.Count == 0)
            {
                problems.Add(path, 1, null, $"knowledge table '{name}': the CSV file is empty (no header line)");
                return null;
            }

            header = records[0].Fields;
            width = header.Length;
            start = 1;
        }

        if (byHeader is not null && header is not null)
        {
            var missing = byHeader.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                problems.Add(path, 1, null,
                    $"knowledge table '{name}': columns.by_header names {string.Join(", ", missing.Select(m => $"'{m}'"))}, not in the header ({string.Join(", ", header)})");
                return null;
            }

            pick = byHeader.Select(c => Array.IndexOf(header, c)).ToArray();
            columnNames = byHeader;
        }
        else if (byIndex is not null)
        {
            pick = byIndex.ToArray();
            columnNames = header is null ? byIndex.Select(i => $"col{i}").ToList() : byIndex.Select(i => i < header.Length ? header[i] : $"col{i}").ToList();
        }
        else
        {
            pick = Enumerable.Range(0, header!.Length).ToArray();
            columnNames = header;
        }

        var rows = new List<string[]>();
        var skipped = 0;
        var bad = 0;
        for (var i = start; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Fields.Length == 1 && record.Fields[0].Length == 0)
            {
                continue; // a blank line
            }

            if (width < 0)
            {
                width = record.Fields.Length;
            }

            string? why = record.Error
                ?? (record.Fields.Length != width ? $"{record.Fields.Length} fields where the {(hasHeader ? "header has" : "first row has")} {width}" : null)
                ?? (pick.Any(p => p >= record.Fields.Length) ? $"no column {pick.Max()} (columns.by_index)" : null);
            if (why is not null)
            {
                if (skipBad)
                {
                    skipped++;
                    continue;
                }

                if (++bad <= 5)
                {
                    problems.Add(path, record.Line, null, $"knowledge table '{name}': bad row: {why}");
                }

                continue;
            }

            rows.Add(pick.Select(p => record.Fields[p]).ToArray());
        }

        if (bad > 5)
        {
            problems.Add(path, null, null, $"knowledge table '{name}': {bad} bad rows in all (first 5 shown; on_error = \"skip\" leaves them out)");
        }

        var nameEntry = t.Table.Get("name")!;
        if (min is { } lo && rows.Count < lo)
        {
            t.Problem(nameEntry, $"knowledge table '{name}': {rows.Count} rows, fewer than expected_rows.min = {lo}");
        }

        if (max is { } hi && rows.Count > hi)
        {
            t.Problem(nameEntry, $"knowledge table '{name}': {rows.Count} rows, more than expected_rows.max = {hi}");
        }

        return bad > 0 ? null : new KnowledgeTable { Name = name, DataFile = path, Columns = columnNames, Rows = rows, SkippedRows = skipped };
    }
}

/// <summary>RFC 4180 CSV: comma-separated, <c>"</c>-quoted fields with <c>""</c> escapes, quoted line breaks, CRLF or LF.</summary>
internal static class CsvReader
{
    /// <summary>One record with the line it starts on; <see cref="Error"/> set when its quoting is broken.</summary>
    public sealed record CsvRecord(int Line, string[] Fields, string? Error);

    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<CsvRecord> Read(string path)
    {
        var text = System.IO.File.ReadAllText(path, Encoding.UTF8);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        string? error = null;
        while (i <= text.Length)
        {
            if (i == text.Length)
            {
                if (field.Length > 0 || fields.Count > 0)
                {
                    fields.Add(field.ToString());
                    records.Add(new CsvRecord(recordLine, [.. fields], error));
                }

                break;
            }

            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                // A quoted field: up to the closing quote; "" is one quote.
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        closed = true;
                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    field.Append(text[i++]);
                }

                if (!closed)
                {
                    error ??= "unterminated quoted field";
                }
                else if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    error ??= "text after a closing quote";
                }

                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (c is '\r' or '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(new CsvRecord(recordLine, [.. fields], error));
                fields.Clear();
                error = null;
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
                i++;
            }
        }

        return records;
    }
}
