using System.Text;

namespace Wp.Core.Config;

/// <summary>
/// <c>${NAME}</c> in string params (SPEC §7.6): replaced by environment variable NAME when the
/// configuration loads. NAME is <c>[A-Za-z_][A-Za-z0-9_]*</c>; any other <c>$</c> is kept as written.
/// The expanded value is never put in a message.
/// </summary>
internal static class ParamExpansion
{
    /// <summary>
    /// Expands every <c>${NAME}</c> in <paramref name="value"/> (a string, or strings inside lists);
    /// other values are returned as they are. Returns false with the first unset variable's name.
    /// </summary>
    public static bool TryExpand(object value, Func<string, string?> environment, out object expanded, out string? unset)
    {
        unset = null;
        switch (value)
        {
            case string s:
                expanded = s;
                if (!s.Contains("${", StringComparison.Ordinal))
                {
                    return true;
                }

                if (!TryExpandText(s, environment, out var text, out unset))
                {
                    return false;
                }

                expanded = text;
                return true;
            case List<object> list:
                var items = new List<object>(list.Count);
                foreach (var item in list)
                {
                    if (!TryExpand(item, environment, out var one, out unset))
                    {
                        expanded = value;
                        return false;
                    }

                    items.Add(one);
                }

                expanded = items;
                return true;
            default:
                expanded = value;
                return true;
        }
    }

    /// <summary>Expands one string; false with the unset variable's name.</summary>
    public static bool TryExpandText(string text, Func<string, string?> environment, out string expanded, out string? unset)
    {
        var result = new StringBuilder(text.Length);
        unset = null;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 2 < text.Length && text[i + 1] == '{' && NameLength(text, i + 2) is var n and > 0
                && i + 2 + n < text.Length && text[i + 2 + n] == '}')
            {
                var name = text.Substring(i + 2, n);
                if (environment(name) is not { } value)
                {
                    unset = name;
                    expanded = text;
                    return false;
                }

                result.Append(value);
                i += n + 3;
                continue;
            }

            result.Append(text[i]);
            i++;
        }

        expanded = result.ToString();
        return true;
    }

    private static int NameLength(string text, int start)
    {
        var i = start;
        while (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_' || (i > start && char.IsAsciiDigit(text[i]))))
        {
            i++;
        }

        return i - start;
    }
}
