using System.Globalization;
using System.Net;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Oml;

/// <summary>
/// One pipe function after <c>read(x)</c> / <c>take(x)</c> in a statement
/// (<c>host = read(url) | url(host) ;</c>). A function turns a value into a value, or into
/// <see cref="Value.Ignore"/> (the statement then adds no field, unless <c>on_fail(v)</c> follows).
/// Compiled once at load; <see cref="Apply"/> never throws.
/// </summary>
internal sealed class OmlPipe
{
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["base64_encode"] = (0, 0),
        ["base64_decode"] = (0, 1),
        ["html_escape"] = (0, 0),
        ["html_unescape"] = (0, 0),
        ["str_escape"] = (0, 0),
        ["json_escape"] = (0, 0),
        ["json_unescape"] = (0, 0),
        ["to_str"] = (0, 0),
        ["ip4_to_int"] = (0, 0),
        ["intranet_ip"] = (0, 0),
        ["skip_empty"] = (0, 0),
        ["starts_with"] = (1, 1),
        ["map_to"] = (1, 1),
        ["on_fail"] = (1, 1),
        ["path"] = (1, 1),
        ["url"] = (1, 1),
        ["Time::to_ts"] = (0, 0),
        ["Time::to_ts_ms"] = (0, 1),
        ["Time::to_ts_us"] = (0, 0),
    };

    private readonly string _name;
    private readonly string _arg;
    private readonly Value _constant;

    private OmlPipe(string name, string arg, Value constant)
    {
        _name = name;
        _arg = arg;
        _constant = constant;
    }

    /// <summary>Every function name, for "did you mean" and the docs test.</summary>
    public static IEnumerable<string> Known => Arity.Keys;

    public bool IsOnFail => _name == "on_fail";

    public override string ToString() => _arg.Length == 0 ? _name : $"{_name}({_arg})";

    /// <summary>Compiles a call; returns null with <paramref name="problem"/> set when it is not valid.</summary>
    public static OmlPipe? TryCreate(string name, IReadOnlyList<string> args, out string? problem)
    {
        problem = null;
        if (!Arity.TryGetValue(name, out var arity))
        {
            problem = $"unknown pipe function '{name}'{WplTypes.DidYouMean(name, Known)}";
            return null;
        }

        if (args.Count < arity.Min || args.Count > arity.Max)
        {
            problem = $"pipe function '{name}' takes {(arity.Min == arity.Max ? arity.Min.ToString(CultureInfo.InvariantCulture) : $"{arity.Min}-{arity.Max}")} argument(s), found {args.Count}";
            return null;
        }

        var arg = args.Count > 0 ? args[0] : "";
        switch (name)
        {
            case "path" when arg is not ("name" or "path"):
                problem = "path(...) takes name or path";
                return null;
            case "url" when arg is not ("domain" or "host" or "uri" or "path" or "params"):
                problem = "url(...) takes domain, host, uri, path or params";
                return null;
            case "base64_decode" when arg.Length > 0 && arg is not ("Utf8" or "Ascii"):
                problem = $"base64_decode({arg}): wp decodes Utf8 and Ascii only";
                return null;
        }

        var constant = name is "map_to" or "on_fail" ? Literal(arg) : default;
        return new OmlPipe(name, arg, constant);
    }

    /// <summary>true/false, an integer, a float, or a quoted string ('x' or "x").</summary>
    private static Value Literal(string arg)
    {
        var s = arg.Trim();
        if (s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0])
        {
            return Value.String(s[1..^1]);
        }

        if (s is "true" or "false")
        {
            return Value.Bool(s == "true");
        }

        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return Value.Int(l);
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Value.Float(d) : Value.String(s);
    }

    public Value Apply(Value v)
    {
        if (_name == "on_fail")
        {
            return v.Kind == ValueKind.Ignore ? _constant : v;
        }

        if (v.Kind == ValueKind.Ignore)
        {
            return v;
        }

        var text = v.Kind is ValueKind.String or ValueKind.Ip ? v.TextMemory.ToString() : v.ToString();
        switch (_name)
        {
            case "to_str":
                return Value.String(text);
            case "base64_encode":
                return Value.String(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
            case "base64_decode":
                return WplPreproc.DecodeBase64(text.AsSpan().Trim()) is { } decoded ? Value.String(decoded) : Value.Ignore;
            case "html_escape":
                return Value.String(WebUtility.HtmlEncode(text));
            case "html_unescape":
                return Value.String(WebUtility.HtmlDecode(text));
            case "str_escape":
            case "json_escape":
                return Value.String(Escape(text));
            case "json_unescape":
                return Value.String(WplScan.UnescapeJson(text));
            case "skip_empty":
                return text.Length == 0 ? Value.Ignore : v;
            case "starts_with":
                return text.StartsWith(Unquote(_arg), StringComparison.Ordinal) ? v : Value.Ignore;
            case "map_to":
                return _constant;
            case "ip4_to_int":
                return IPAddress.TryParse(text, out var ip4) && ip4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    ? Value.Int(((long)ip4.GetAddressBytes()[0] << 24) | ((long)ip4.GetAddressBytes()[1] << 16) | ((long)ip4.GetAddressBytes()[2] << 8) | ip4.GetAddressBytes()[3])
                    : Value.Ignore;
            case "intranet_ip":
                return IPAddress.TryParse(text, out var ip) ? Value.Bool(IsIntranet(ip)) : Value.Ignore;
            case "path":
                var trimmed = text.TrimEnd('/');
                var slash = trimmed.LastIndexOfAny(['/', '\\']);
                return Value.String(_arg == "name" ? trimmed[(slash + 1)..] : slash <= 0 ? (slash == 0 ? "/" : "") : trimmed[..slash]);
            case "url":
                return UrlPart(text, _arg);
            case "Time::to_ts":
            case "Time::to_ts_ms":
            case "Time::to_ts_us":
                if (v.Kind != ValueKind.DateTime && !WplScan.TryConvert(WplType.Time, text.AsMemory(), out v))
                {
                    return Value.Ignore;
                }

                var ticks = v.AsDateTime.Ticks - DateTime.UnixEpoch.Ticks;
                return Value.Int(_name switch
                {
                    "Time::to_ts" => ticks / TimeSpan.TicksPerSecond,
                    "Time::to_ts_ms" => ticks / TimeSpan.TicksPerMillisecond,
                    _ => ticks / 10,
                });
            default:
                return Value.Ignore;
        }
    }

    private static string Unquote(string s) => s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? s[1..^1] : s;

    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsIntranet(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip))
        {
            return true;
        }

        var b = ip.GetAddressBytes();
        if (b.Length == 4)
        {
            return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
        }

        return (b[0] & 0xFE) == 0xFC || ip.IsIPv6LinkLocal;
    }

    private static Value UrlPart(string text, string part)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return Value.Ignore;
        }

        return Value.String(part switch
        {
            "domain" => uri.Host,
            "host" => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            "uri" => uri.PathAndQuery,
            "path" => uri.AbsolutePath,
            _ => uri.Query.TrimStart('?'),
        });
    }
}
