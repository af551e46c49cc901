using Wp.Core.Records;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wp.Core.Config;
using Wp.Core.Wpl;

namespace Wp.Core.Generation;

/// <summary>A gen_rule.wpl text and the gen_field.toml beside it, if any.</summary>
internal sealed record GenRuleSource(string RuleFile, string RuleText, string? FieldFile = null, string? FieldText = null);

/// <summary>
/// The generator rules of a work root (SPEC §12): every <c>models/wpl/**/gen_rule.wpl</c> (ordinal
/// path order, rules in file order) compiled with the WPL parser, bound to the value settings of the
/// <c>gen_field.toml</c> beside it, and checked at load: every setting must fit its field, every
/// choice must parse back, and a sample of lines of every rule must parse back with the rule itself —
/// so a rule the generator cannot serve is a configuration error, not a stream of miss lines.
/// Immutable; <see cref="Open"/> starts a reproducible stream of lines.
/// </summary>
internal sealed partial class GenRuleSet
{
    public const string RuleFileName = "gen_rule.wpl";

    /// <summary>Lines of each rule generated and parsed back at load.</summary>
    private const int SelfCheckLines = 200;

    private const long SelfCheckSeed = 0x5EED;

    private GenRuleSet(IReadOnlyList<RuleLineWriter> rules) => Rules = rules;

    /// <summary>The rules in generation order.</summary>
    public IReadOnlyList<RuleLineWriter> Rules { get; }

    /// <summary>A stream of lines, rules taken round-robin; the same seed gives the same lines.</summary>
    public GenLineStream Open(long seed) => new(Rules, seed);

    /// <summary>
    /// Loads every <c>gen_rule.wpl</c> under <paramref name="wplRoot"/> with its <c>gen_field.toml</c>.
    /// </summary>
    /// <exception cref="ConfigException">
    /// The folder is missing or holds no gen_rule.wpl (naming the folder), or any file has problems
    /// (all of them, with file and line).
    /// </exception>
    public static GenRuleSet LoadDirectory(string wplRoot)
    {
        if (!Directory.Exists(wplRoot))
        {
            throw new ConfigException(wplRoot, "WPL folder not found");
        }

        var files = Directory.GetFiles(wplRoot, RuleFileName, SearchOption.AllDirectories)
            .OrderBy(path => Path.GetRelativePath(wplRoot, path), StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new ConfigException(wplRoot, $"no {RuleFileName} in this folder or below (wpgen rule generates from models/wpl/**/{RuleFileName})");
        }

        var sources = files.Select(file =>
        {
            var fieldFile = Path.Combine(Path.GetDirectoryName(file)!, GenFieldFile.FileName);
            return File.Exists(fieldFile)
                ? new GenRuleSource(file, File.ReadAllText(file), fieldFile, File.ReadAllText(fieldFile))
                : new GenRuleSource(file, File.ReadAllText(file));
        });
        return Build(sources.ToList());
    }

    /// <summary>Compiles and checks generator rules from texts.</summary>
    /// <exception cref="ConfigException">With every problem found, each with file and line.</exception>
    public static GenRuleSet Build(IReadOnlyList<GenRuleSource> sources)
    {
        // WPL syntax errors (and duplicate rule paths) are reported by the parser, for all files at once.
        var ruleSet = WplRuleSet.Parse(sources.Select(s => (s.RuleFile, s.RuleText)));
        if (ruleSet.Rules.Count == 0)
        {
            throw new ConfigException(sources.Count > 0 ? sources[0].RuleFile : RuleFileName, $"no rule in any {RuleFileName}: nothing to generate");
        }

        var problems = new ConfigProblems();
        var settingsByFile = new Dictionary<string, GenFieldFile>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            settingsByFile[source.RuleFile] = source.FieldFile is null
                ? GenFieldFile.Empty("")
                : GenFieldFile.Parse(source.FieldFile, source.FieldText ?? "", problems) ?? GenFieldFile.Empty(source.FieldFile);
        }

        // Settings problems do not stop binding: every problem of every file is reported in one pass.
        var writers = new List<RuleLineWriter>(ruleSet.Rules.Count);
        var binder = new Binder(problems);
        foreach (var rule in ruleSet.Rules)
        {
            if (binder.Bind(rule, settingsByFile[rule.File]) is { } writer)
            {
                writers.Add(writer);
            }
        }

        foreach (var file in settingsByFile.Values)
        {
            foreach (var setting in file.Fields.Values.Where(s => !s.Used))
            {
                var names = ruleSet.Rules.Where(r => settingsByFile[r.File] == file).SelectMany(FieldNames).Distinct().Order(StringComparer.Ordinal);
                problems.Add(setting.File, setting.Line, setting.Column,
                    $"no field named '{setting.Name}' in the rules of {RuleFileName} (fields: {string.Join(", ", names)})");
            }
        }

        problems.ThrowIfAny();
        foreach (var writer in writers)
        {
            SelfCheck(writer, problems);
        }

        problems.ThrowIfAny();
        return new GenRuleSet(writers);
    }

    private static IEnumerable<string> FieldNames(WplRule rule) =>
        rule.Groups.SelectMany(g => g.Fields).SelectMany(f => f.Subfields.Select(s => s.EffectiveName).Prepend(f.EffectiveName));

    private static void SelfCheck(RuleLineWriter writer, ConfigProblems problems)
    {
        var rng = new GenRandom(SelfCheckSeed);
        using var buf = new TextBuffer();
        for (var i = 0; i < SelfCheckLines; i++)
        {
            buf.Clear();
            writer.Write(rng, buf);
            var line = buf.ToString();
            if (!writer.ParsesBack(line, out var reason))
            {
                problems.Add(writer.Rule.File, writer.Rule.Line, null,
                    $"rule {writer.Rule.Path}: the generator cannot write lines this rule reads back ({reason}); for example: {Clip(line)}");
                return;
            }
        }
    }

    internal static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

}

/// <summary>
/// A reproducible stream of generated lines: rules round-robin in load order, values from one
/// <see cref="GenRandom"/>. Not thread-safe.
/// </summary>
internal sealed class GenLineStream
{
    private readonly IReadOnlyList<RuleLineWriter> _rules;
    private readonly GenRandom _rng;
    private int _next;

    public GenLineStream(IReadOnlyList<RuleLineWriter> rules, long seed)
    {
        _rules = rules;
        _rng = new GenRandom(seed);
    }

    /// <summary>Appends the next line (without the newline); returns the index of the rule that wrote it.</summary>
    public int AppendLine(TextBuffer buf)
    {
        var index = _next;
        _rules[index].Write(_rng, buf);
        _next = index + 1 == _rules.Count ? 0 : index + 1;
        return index;
    }

    /// <summary>The next line as a string (tests and tools; the writer uses <see cref="AppendLine"/>).</summary>
    public string NextLine(out int rule)
    {
        using var buf = new TextBuffer(256);
        rule = AppendLine(buf);
        return buf.ToString();
    }
}
