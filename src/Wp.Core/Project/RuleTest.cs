using System.Text.Json;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Project;

/// <summary>
/// <c>wproj rule test</c>: runs lines through WPL rules and shows, per line, the rule that matched
/// and the typed record, or the closest rule and why it missed (column, expected, found).
/// Exit 0 when every line matched, 4 when any missed, 3 when the rules do not load.
/// </summary>
internal static class RuleTest
{
    /// <summary>Where the rules come from: a .wpl file, a folder of parse*.wpl, or the work root's models.wpl.</summary>
    public static WplRuleSet LoadRules(WorkRoot? root, string? rulePath)
    {
        if (rulePath is null)
        {
            var engine = ProjectLoader.LoadEngine(root ?? new WorkRoot("."));
            return WplRuleSet.LoadDirectory(engine.WplRoot);
        }

        if (Directory.Exists(rulePath))
        {
            return WplRuleSet.LoadDirectory(rulePath);
        }

        if (!File.Exists(rulePath))
        {
            throw new ConfigException(rulePath, "rule file or folder not found");
        }

        return WplRuleSet.Parse([(rulePath, File.ReadAllText(rulePath))]);
    }

    /// <summary>Runs <paramref name="lines"/> (1-based numbers as given) and prints the result. Does not throw for misses.</summary>
    public static int Run(WplRuleSet rules, IReadOnlyList<(int Number, string Text)> lines, bool json, TextWriter output)
    {
        var results = lines.Where(l => !string.IsNullOrWhiteSpace(l.Text)).Select(l => (l.Number, l.Text, Match: rules.Match(l.Text))).ToList();
        if (json)
        {
            WriteJson(results, output);
        }
        else
        {
            WriteText(results, output);
        }

        return results.All(r => r.Match.IsMatch) ? ExitCodes.Success : ExitCodes.ValidationFailed;
    }

    /// <summary>The column, expected and found of a miss (found: up to 24 chars of the text there).</summary>
    public static (int Column, string Expected, string Found) Explain(in WplMatch match)
    {
        if (match.Closest is null)
        {
            return (1, "a rule", "no rules loaded");
        }

        var text = match.ClosestText ?? "";
        var pos = Math.Clamp(match.ClosestMiss.Position, 0, text.Length);
        var rest = text.AsSpan(pos).TrimEnd();
        var found = rest.Length == 0 ? "end of line" : rest.Length > 24 ? rest[..24].ToString() + "…" : rest.ToString();
        return (pos + 1, match.Closest.Expected(match.ClosestMiss), found);
    }

    private static void WriteText(List<(int Number, string Text, WplMatch Match)> results, TextWriter output)
    {
        foreach (var (number, _, match) in results)
        {
            if (match.IsMatch)
            {
                output.WriteLine($"line {number}: match {match.Rule!.Path}");
                var fields = match.Record!.Fields.ToArray().Where(f => f.Value.Kind != ValueKind.Ignore).ToList();
                var width = fields.Count == 0 ? 0 : fields.Max(f => f.Name.Length);
                foreach (var f in fields)
                {
                    output.WriteLine($"  {f.Name.PadRight(width)}  {Kind(f.Value.Kind),-8}  {f.Value}");
                }

                if (match.Residue is { } residue)
                {
                    output.WriteLine($"  (leftover kept as residue: {residue})");
                }
            }
            else
            {
                var (column, expected, found) = Explain(match);
                output.WriteLine($"line {number}: miss");
                output.WriteLine($"  {match.MissReason}");
                if (match.Closest is not null)
                {
                    output.WriteLine($"  column {column}: expected {expected}, found '{found}'");
                }
            }
        }

        var matched = results.Count(r => r.Match.IsMatch);
        output.WriteLine($"{matched} of {results.Count} line(s) matched");
    }

    private static void WriteJson(List<(int Number, string Text, WplMatch Match)> results, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("matched", results.Count(r => r.Match.IsMatch));
            w.WriteNumber("missed", results.Count(r => !r.Match.IsMatch));
            w.WriteStartArray("lines");
            foreach (var (number, text, match) in results)
            {
                w.WriteStartObject();
                w.WriteNumber("line", number);
                w.WriteString("text", text);
                w.WriteBoolean("match", match.IsMatch);
                if (match.IsMatch)
                {
                    w.WriteString("rule", match.Rule!.Path);
                    w.WriteStartArray("fields");
                    foreach (var f in match.Record!.Fields.ToArray().Where(f => f.Value.Kind != ValueKind.Ignore))
                    {
                        w.WriteStartObject();
                        w.WriteString("name", f.Name);
                        w.WriteString("kind", Kind(f.Value.Kind));
                        WriteValue(w, f.Value);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    if (match.Residue is { } residue)
                    {
                        w.WriteString("residue", residue);
                    }
                }
                else
                {
                    var (column, expected, found) = Explain(match);
                    if (match.Closest is not null)
                    {
                        w.WriteString("closest", match.Closest.Path);
                    }

                    w.WriteString("reason", match.MissReason);
                    w.WriteNumber("column", column);
                    w.WriteString("expected", expected);
                    w.WriteString("found", found);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteValue(Utf8JsonWriter w, Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Int:
                w.WriteNumber("value", v.AsInt);
                break;
            case ValueKind.Float:
                w.WriteNumber("value", v.AsFloat);
                break;
            case ValueKind.Bool:
                w.WriteBoolean("value", v.AsBool);
                break;
            default:
                w.WriteString("value", v.ToString());
                break;
        }
    }

    /// <summary>The kind names shown to users (docs/wpl.md uses the same).</summary>
    public static string Kind(ValueKind kind) => kind switch
    {
        ValueKind.String => "chars",
        ValueKind.Int => "digit",
        ValueKind.Float => "float",
        ValueKind.Bool => "bool",
        ValueKind.Ip => "ip",
        ValueKind.DateTime => "time",
        _ => "ignore",
    };
}
