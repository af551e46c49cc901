namespace Wp.Core.Wpl;

/// <summary>Rule path globs (SPEC §5.5): <c>*</c> matches any characters, including <c>/</c>; all else is literal.</summary>
internal static class RulePattern
{
    /// <summary>True when <paramref name="path"/> matches <paramref name="pattern"/> entirely (ordinal).</summary>
    public static bool IsMatch(string pattern, string path) => IsMatch(pattern.AsSpan(), path.AsSpan());

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> path)
    {
        // Greedy wildcard matching with one backtrack point: linear for typical patterns.
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < path.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (p < pattern.Length && pattern[p] == path[s])
            {
                p++;
                s++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
