using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Wp.Core.Records;

namespace Wp.Core.Wpl;

/// <summary>
/// Preprocessing steps written before a rule's first group (<c>|decode/base64|unquote/unescape|</c>):
/// each turns the whole line into a new text, or rejects it (the rule then misses). Never throws.
/// </summary>
internal static class WplPreproc
{
    /// <summary>The step names wp knows, in the order docs/wpl.md lists them.</summary>
    public static readonly string[] Known = ["decode/base64", "decode/hex", "unquote/unescape", "strip/bom", "json_like"];

    public static bool IsKnown(string step) => Array.IndexOf(Known, step) >= 0;

    /// <summary>Applies one step; null when the text does not fit the step (not Base64, …).</summary>
    public static string? Apply(string step, string text)
    {
        switch (step)
        {
            case "decode/base64":
                return DecodeBase64(text.AsSpan().Trim());
            case "decode/hex":
                return DecodeHex(text.AsSpan().Trim());
            case "unquote/unescape":
                var s = text.AsSpan().Trim();
                if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
                {
                    s = s[1..^1];
                }

                return WplScan.UnescapeJson(s);
            case "strip/bom":
                return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
            case "json_like":
                var t = text.AsSpan().Trim();
                return t.Length >= 2 && ((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']')) ? text : null;
            default:
                return null;
        }
    }

    public static string? DecodeBase64(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || s.Length > 1 << 20)
        {
            return null;
        }

        var bytes = new byte[(s.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(s, bytes, out var n))
        {
            return null;
        }

        return Utf8(bytes.AsSpan(0, n));
    }

    public static string? DecodeHex(ReadOnlySpan<char> s)
    {
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        if (s.Length == 0 || s.Length % 2 != 0)
        {
            return null;
        }

        var bytes = new byte[s.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(s.Slice(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return Utf8(bytes);
    }

    private static string? Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>
/// Field functions written after a field's <c>|</c>: selectors (<c>take</c>, <c>last</c>), checks
/// (<c>chars_has</c>, <c>digit_range</c>, …, a failed check fails the field) and transforms
/// (<c>base64_decode</c>, <c>chars_replace</c>, …). They act on the "active" field: the one the
/// field just produced, or the one <c>take</c> selected. Compiled once; Apply never throws.
/// </summary>
internal sealed class WplFunction
{
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["take"] = (1, 1),
        ["last"] = (0, 0),
        ["has"] = (0, 0),
        ["f_has"] = (1, 1),
        ["chars_has"] = (1, 1),
        ["chars_not_has"] = (1, 1),
        ["chars_in"] = (1, 1),
        ["f_chars_has"] = (2, 2),
        ["f_chars_not_has"] = (2, 2),
        ["f_chars_in"] = (2, 2),
        ["starts_with"] = (1, 1),
        ["regex_match"] = (1, 1),
        ["digit_has"] = (1, 1),
        ["digit_in"] = (1, 1),
        ["digit_range"] = (2, 2),
        ["f_digit_has"] = (2, 2),
        ["f_digit_in"] = (2, 2),
        ["ip_in"] = (1, 1),
        ["f_ip_in"] = (2, 2),
        ["json_unescape"] = (0, 0),
        ["base64_decode"] = (0, 0),
        ["chars_replace"] = (2, 2),
        ["not"] = (1, 1),
        ["send_to_src"] = (0, 0),
    };

    private readonly WplFunctionSpec _spec;
    private readonly WplFunction? _inner;
    private readonly Regex? _regex;
    private readonly string[] _list;

    public WplFunction(WplFunctionSpec spec)
    {
        _spec = spec;
        _inner = spec.Inner is null ? null : new WplFunction(spec.Inner);
        if (spec.Name == "regex_match")
        {
            _regex = new Regex(spec.Args[0], RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }

        var listArg = spec.Name.StartsWith("f_", StringComparison.Ordinal) ? (spec.Args.Count > 1 ? spec.Args[1] : "") : (spec.Args.Count > 0 ? spec.Args[0] : "");
        _list = ParseList(listArg);
    }

    public static IEnumerable<string> Known => Arity.Keys;

    public static bool IsKnown(string name) => Arity.ContainsKey(name);

    /// <summary>Null when the argument count fits, else the problem.</summary>
    public static string? CheckArity(string name, int count)
    {
        var (min, max) = Arity[name];
        return count < min || count > max
            ? $"function '{name}' takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}-{max}")} argument(s), found {count}"
            : null;
    }

    public override string ToString() => _spec.ToString();

    /// <summary>Applies the function; false when a check fails or the selected field is missing.</summary>
    public bool Apply(List<Field> output, ref int active)
    {
        var args = _spec.Args;
        switch (_spec.Name)
        {
            case "take":
                active = FindLast(output, args[0]);
                return active >= 0;
            case "last":
                active = output.Count - 1;
                return active >= 0;
            case "has":
                return Valid(output, active);
            case "f_has":
                return FindLast(output, args[0]) >= 0;
            case "send_to_src":
                return true; // upstream re-feeds the field to the sources; accepted with no effect in wp
            case "not":
                var copy = active;
                return !_inner!.Apply(output, ref copy);
            case "json_unescape":
            case "base64_decode":
            case "chars_replace":
                if (!Valid(output, active) || output[active].Value.Kind != ValueKind.String)
                {
                    return false;
                }

                var text = output[active].Value.Text;
                string? result = _spec.Name switch
                {
                    "json_unescape" => WplScan.UnescapeJson(text),
                    "base64_decode" => WplPreproc.DecodeBase64(text.Trim()),
                    _ => text.ToString().Replace(args[0], args[1], StringComparison.Ordinal),
                };
                if (result is null)
                {
                    return false;
                }

                output[active] = output[active] with { Value = Value.String(result) };
                return true;
        }

        var targeted = _spec.Name.StartsWith("f_", StringComparison.Ordinal);
        var index = targeted ? FindLast(output, args[0]) : active;
        if (!Valid(output, index))
        {
            return false;
        }

        var value = output[index].Value;
        var arg = targeted ? args[1] : (args.Count > 0 ? args[0] : "");
        var name = targeted ? _spec.Name[2..] : _spec.Name;
        return name switch
        {
            "chars_has" => value.ToString() == arg,
            "chars_not_has" => value.ToString() != arg,
            "chars_in" => Array.IndexOf(_list, value.ToString()) >= 0,
            "starts_with" => value.ToString().StartsWith(arg, StringComparison.Ordinal),
            "regex_match" => SafeRegex(value.ToString()),
            "digit_has" => AsLong(value, out var l) && long.TryParse(arg, CultureInfo.InvariantCulture, out var want) && l == want,
            "digit_in" => AsLong(value, out var l2) && Array.Exists(_list, x => long.TryParse(x, CultureInfo.InvariantCulture, out var w) && w == l2),
            "digit_range" => AsLong(value, out var l3) && long.TryParse(args[0], CultureInfo.InvariantCulture, out var lo) &&
                             long.TryParse(args[1], CultureInfo.InvariantCulture, out var hi) && l3 >= lo && l3 <= hi,
            "ip_in" => Array.IndexOf(_list, value.ToString()) >= 0,
            _ => false,
        };
    }

    private bool SafeRegex(string text)
    {
        try
        {
            return _regex!.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool Valid(List<Field> output, int index) => index >= 0 && index < output.Count;

    private static int FindLast(List<Field> output, string name)
    {
        for (var i = output.Count - 1; i >= 0; i--)
        {
            if (output[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AsLong(Value v, out long l)
    {
        if (v.Kind == ValueKind.Int)
        {
            l = v.AsInt;
            return true;
        }

        return long.TryParse(v.ToString(), CultureInfo.InvariantCulture, out l);
    }

    private static string[] ParseList(string arg)
    {
        var s = arg.Trim();
        if (s.Length >= 2 && s[0] == '[' && s[^1] == ']')
        {
            s = s[1..^1];
        }

        return [.. s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim('"', '\''))];
    }
}

/// <summary>The names <see cref="WplFunction"/> knows (the parser checks against them).</summary>
internal static class WplFunctions
{
    public static IEnumerable<string> Known => WplFunction.Known;

    public static bool IsKnown(string name) => WplFunction.IsKnown(name);

    public static string? CheckArity(string name, int count) => WplFunction.CheckArity(name, count);
}
