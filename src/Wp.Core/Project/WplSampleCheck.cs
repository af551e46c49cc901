using Wp.Core.Wpl;

namespace Wp.Core.Project;

/// <summary>
/// <c>wproj check</c>'s sample step: every <c>sample.dat</c> beside a <c>parse*.wpl</c> is run through
/// the rules of its folder; a sample line that misses is a problem naming the line and the reason.
/// </summary>
internal static class WplSampleCheck
{
    /// <summary>One result per sample file: (sample path, ok, detail). Never throws for misses; IO errors are results too.</summary>
    public static IEnumerable<(string Sample, bool Ok, string Detail)> Run(WplRuleSet rules)
    {
        var folders = rules.Rules.Select(r => Path.GetDirectoryName(Path.GetFullPath(r.File))!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var sample = Path.Combine(folder, "sample.dat");
            if (!File.Exists(sample))
            {
                continue;
            }

            string[] lines;
            string? readError = null;
            try
            {
                lines = File.ReadAllLines(sample);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lines = [];
                readError = ex.Message;
            }

            if (readError is not null)
            {
                yield return (sample, false, $"cannot read: {readError}");
                continue;
            }

            var local = rules.Subset(r => string.Equals(Path.GetDirectoryName(Path.GetFullPath(r.File)), folder, StringComparison.Ordinal));
            var checkedLines = 0;
            string? firstMiss = null;
            var misses = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]))
                {
                    continue;
                }

                checkedLines++;
                var match = local.Match(lines[i]);
                if (!match.IsMatch)
                {
                    misses++;
                    if (firstMiss is null)
                    {
                        var (column, expected, found) = RuleTest.Explain(match);
                        firstMiss = $"line {i + 1} misses: {match.MissReason} (column {column}: expected {expected}, found '{found}')";
                    }
                }
            }

            yield return misses == 0
                ? (sample, true, checkedLines == 1 ? "1 sample line matches" : $"{checkedLines} sample lines match")
                : (sample, false, misses == 1 ? firstMiss! : $"{misses} of {checkedLines} lines miss; first: {firstMiss}");
        }
    }
}
