using Wp.Core.Config;
using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// Every loaded rule, in load order, compiled once. <see cref="Match"/> is thread-safe: rules are
/// immutable and each call fills a record of its own.
/// </summary>
internal sealed class WplRuleSet
{
    /// <summary>A leftover longer than this share of the line fails the rule (docs/wpl.md, residue).</summary>
    public const double MaxResidueShare = 0.2;

    /// <summary>
    /// Room left in a matched record for the field the pipeline appends to every record
    /// (<c>wp_src_key</c>), so appending it does not regrow the field array.
    /// </summary>
    public const int AppendedFields = 1;

    private readonly WplRule[] _rules;

    private long _matcherErrors;

    private WplRuleSet(WplRule[] rules) => _rules = rules;

    public IReadOnlyList<WplRule> Rules => _rules;

    /// <summary>A rule set of some of these rules (e.g. one folder's), in the same order.</summary>
    public WplRuleSet Subset(Func<WplRule, bool> keep) => new([.. _rules.Where(keep)]);

    /// <summary>Rule attempts that ended in an exception inside a matcher (a bug): each counted as a failed attempt.</summary>
    public long MatcherErrors => Interlocked.Read(ref _matcherErrors);

    /// <summary>The first such exception (rule path, type, message), for the log.</summary>
    public string? FirstMatcherError { get; private set; }

    /// <summary>Logs the matcher errors so far, if any: one error line with the count and the first. Does not throw.</summary>
    public void ReportMatcherErrors(Serilog.ILogger log)
    {
        if (MatcherErrors > 0)
        {
            log.Error("wparse: {Count} rule attempts failed inside a matcher (a bug; each counted as a failed attempt); first: {First}", MatcherErrors, FirstMatcherError);
        }
    }

    /// <summary>
    /// Parses every <c>parse*.wpl</c> under <paramref name="dir"/> (recursive, ordinal path order).
    /// Throws <see cref="ConfigException"/> when the folder is missing or any file has errors.
    /// </summary>
    public static WplRuleSet LoadDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new ConfigException(dir, "WPL folder not found");
        }

        var files = Directory.GetFiles(dir, "parse*.wpl", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        var sources = new List<(string, string)>(files.Length);
        foreach (var file in files)
        {
            sources.Add((file, File.ReadAllText(file)));
        }

        return Parse(sources);
    }

    /// <summary>
    /// Parses (file, text) pairs in order. Every file's first syntax error is collected; any error
    /// throws one <see cref="ConfigException"/> listing all of them. Duplicate rule paths are errors.
    /// </summary>
    public static WplRuleSet Parse(IEnumerable<(string File, string Text)> sources, TimeProvider? clock = null)
    {
        // Yearless syslog times (Jul 22 09:58:26) take the current year of the injected clock.
        WplScan.YearlessYear = (clock ?? TimeProvider.System).GetUtcNow().Year;
        var problems = new List<ConfigProblem>();
        var keys = new KeyInterner();
        var rules = new List<WplRule>();
        var seen = new Dictionary<string, WplRuleSpec>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            foreach (var spec in WplParser.ParseFile(file, text, problems))
            {
                if (seen.TryGetValue(spec.Path, out var first))
                {
                    problems.Add(new ConfigProblem(file, spec.Line, spec.Column,
                        $"duplicate rule path '{spec.Path}' (first defined at {first.File}:{first.Line})"));
                    continue;
                }

                seen.Add(spec.Path, spec);
                rules.Add(new WplRule(spec, keys));
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return new WplRuleSet([.. rules]);
    }

    /// <summary>
    /// Tries every rule in load order; the first that matches wins. A leftover of at most 20% of
    /// the line is accepted and returned as <see cref="WplMatch.Residue"/>. Never throws.
    /// </summary>
    /// <param name="line">The line.</param>
    /// <param name="lease">Where the record comes from (reused from an earlier batch); null: a new record.</param>
    public WplMatch Match(string line, RecordLease? lease = null) => Match(line.ToCharArray(), line.Length, lease);

    /// <summary>
    /// <see cref="Match(string, RecordLease?)"/> of the line <c>line[0..length)</c>. The record's text
    /// values slice <paramref name="line"/>: the caller never changes those chars while the record is in use.
    /// </summary>
    public WplMatch Match(char[] line, int length, RecordLease? lease = null)
    {
        var start = 0;
        var end = length;
        while (start < end && char.IsWhiteSpace(line[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(line[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            return new WplMatch(null, null, null, WplMatch.Blank);
        }

        // Matchers append straight into the record that will be returned (no copy from scratch);
        // a failed rule clears it for the next one, and a line no rule matches wastes one record.
        Record? record = null;
        WplRule? closest = null;
        WplMiss closestMiss = default;
        var closestText = line;
        var maxLeftover = (int)(length * MaxResidueShare);
        foreach (var rule in _rules)
        {
            record ??= RecordLease.RentOrNew(lease, rule.FieldEstimate + AppendedFields);
            var output = record.FieldList;
            output.Clear();
            WplMiss miss;
            bool ok;
            int stop;
            var text = line;
            try
            {
                ok = rule.TryMatch(line, length, start, end, output, out text, out stop, out miss);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A matcher bug must cost one rule attempt, never the pipeline (Match never throws);
                // it is counted and its first occurrence kept, so the run reports it.
                if (Interlocked.Increment(ref _matcherErrors) == 1)
                {
                    FirstMatcherError = $"rule {rule.Path}: {e.GetType().Name}: {e.Message}";
                }

                ok = false;
                stop = start;
                miss = new WplMiss(0, WplMissKind.Value, start);
            }

            if (ok)
            {
                var textEnd = ReferenceEquals(text, line) ? end : text.Length;
                var leftover = stop >= textEnd ? default : text.AsSpan(stop, textEnd - stop).Trim();
                if (leftover.Length <= maxLeftover)
                {
                    return new WplMatch(rule, record, leftover.Length == 0 ? null : leftover.ToString(), null);
                }

                miss = new WplMiss(miss.Field, WplMissKind.Leftover, stop);
            }

            if (closest is null || miss.Field > closestMiss.Field)
            {
                closest = rule;
                closestMiss = miss;
                closestText = text;
            }
        }

        if (closest is null)
        {
            return new WplMatch(null, null, null, "no rules loaded");
        }

        var closestEnd = ReferenceEquals(closestText, line) ? end : closestText.Length;
        return new WplMatch(null, null, null, $"closest {closest.Path}: {closest.Describe(closestMiss, closestEnd)}")
        {
            Closest = closest,
            ClosestMiss = closestMiss,
            ClosestText = new string(closestText, 0, ReferenceEquals(closestText, line) ? length : closestText.Length),
        };
    }
}
