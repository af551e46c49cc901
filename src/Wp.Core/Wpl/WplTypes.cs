namespace Wp.Core.Wpl;

/// <summary>
/// The type table: every name a field may be written with (upstream spellings and their aliases),
/// and the closest known name for "did you mean" hints.
/// </summary>
internal static class WplTypes
{
    private static readonly Dictionary<string, WplType> Names = new(StringComparer.Ordinal)
    {
        ["digit"] = WplType.Digit,
        ["float"] = WplType.Float,
        ["bool"] = WplType.Bool,
        ["chars"] = WplType.Chars,
        ["_"] = WplType.Ignore,
        ["sn"] = WplType.Sn,
        ["ip"] = WplType.Ip,
        ["time"] = WplType.Time,
        ["time_iso"] = WplType.Time,
        ["time_3339"] = WplType.Time,
        ["time/rfc3339"] = WplType.Time,
        ["time/clf"] = WplType.TimeClf,
        ["time/apache"] = WplType.TimeClf,
        ["time/httpd"] = WplType.TimeClf,
        ["time/nginx"] = WplType.TimeClf,
        ["time_2822"] = WplType.Time2822,
        ["time/rfc2822"] = WplType.Time2822,
        ["time_timestamp"] = WplType.TimeTimestamp,
        ["time/timestamp"] = WplType.TimeTimestamp,
        ["time/epoch"] = WplType.TimeTimestamp,
        ["http/request"] = WplType.HttpRequest,
        ["http/status"] = WplType.HttpStatus,
        ["http/agent"] = WplType.HttpAgent,
        ["http/user_agent"] = WplType.HttpAgent,
        ["http/method"] = WplType.HttpMethod,
        ["kv"] = WplType.Kv,
        ["json"] = WplType.Json,
        ["exact_json"] = WplType.ExactJson,
        ["kvarr"] = WplType.Kvarr,
        ["symbol"] = WplType.Symbol,
        ["peek_symbol"] = WplType.PeekSymbol,
        ["auto"] = WplType.Auto,
        ["ip_net"] = WplType.IpNet,
        ["domain"] = WplType.Domain,
        ["email"] = WplType.Email,
        ["port"] = WplType.Port,
        ["hex"] = WplType.Hex,
        ["base64"] = WplType.Base64,
        ["url"] = WplType.Url,
        ["proto_text"] = WplType.Chars,
        ["proto/text"] = WplType.Chars,
        ["obj"] = WplType.Chars,
        ["id_card"] = WplType.IdCard,
        ["mobile_phone"] = WplType.MobilePhone,
        ["array"] = WplType.Array,
        ["bad_json"] = WplType.BadJson,
    };

    /// <summary>Every spelling, for docs and hints.</summary>
    public static IEnumerable<string> AllNames => Names.Keys;

    /// <summary>Looks up a type name; <c>array/T</c> gives <see cref="WplType.Array"/> and T.</summary>
    public static bool TryGet(string name, out WplType type, out WplType? element)
    {
        element = null;
        if (Names.TryGetValue(name, out type))
        {
            return true;
        }

        if (name.StartsWith("array/", StringComparison.Ordinal) && Names.TryGetValue(name[6..], out var e) &&
            e is not (WplType.Kv or WplType.Kvarr or WplType.Json or WplType.ExactJson or WplType.Array or WplType.Symbol or WplType.PeekSymbol))
        {
            type = WplType.Array;
            element = e;
            return true;
        }

        return false;
    }

    /// <summary>" (did you mean 'x'?)" when a known name is close to <paramref name="name"/>, else "" (the closeness rule is <see cref="Config.Suggest.Closest"/>'s).</summary>
    public static string DidYouMean(string name, IEnumerable<string> known) =>
        Config.Suggest.Closest(name, known) is { } guess ? $" (did you mean '{guess}'?)" : "";
}
