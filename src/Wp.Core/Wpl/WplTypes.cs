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

    /// <summary>" (did you mean 'x'?)" when a known name is close to <paramref name="name"/>, else "".</summary>
    public static string DidYouMean(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            var d = Distance(name, k);
            if (d < bestDistance)
            {
                best = k;
                bestDistance = d;
            }
        }

        var limit = Math.Max(1, Math.Min(3, name.Length / 3));
        return best is not null && bestDistance <= limit ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Edit distance counting an adjacent swap as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
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
