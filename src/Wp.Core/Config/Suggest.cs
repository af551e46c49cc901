namespace Wp.Core.Config;

/// <summary>"Did you mean": the known word closest to a misspelled one (unknown keys, connectors, options, names).</summary>
internal static class Suggest
{
    /// <summary>
    /// The candidate with the smallest edit distance to <paramref name="word"/>, if that distance is small
    /// for the word's length (at most a third of it, at least 1, at most 3); null otherwise. Ties go to the
    /// first candidate in ordinal order, so the answer does not depend on the order given.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var limit = Math.Clamp(word.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            if (candidate == word)
            {
                continue;
            }

            var distance = Distance(word, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= limit ? best : null;
    }

    /// <summary><c>"; did you mean 'x'?"</c> when a candidate is close, else empty.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } guess ? $"; did you mean '{guess}'?" : string.Empty;

    /// <summary>Optimal-string-alignment distance (Levenshtein plus adjacent swaps), case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
