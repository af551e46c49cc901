namespace Wp.Core.Generation;

/// <summary>The word pools random values are drawn from: log-like, ASCII, free of quotes and backslashes.</summary>
internal static class GenText
{
    public static readonly string[] Words =
    [
        "alpha", "beta", "gamma", "delta", "inbound", "outbound", "allowed", "blocked", "edge", "core", "wan", "lan",
        "dmz", "eth0", "eth1", "ok", "fail", "session", "open", "close", "north", "south", "east", "west", "primary",
        "backup", "cache", "proxy", "router", "switch", "gateway", "firewall", "tcp", "udp", "alice", "bob", "carol",
    ];

    public static readonly string[] Keys =
    [
        "proto", "action", "status", "user", "zone", "app", "policy", "rule", "risk", "bytes", "pkts", "country",
        "severity", "result", "src", "dst", "dev", "vlan", "iface", "msg",
    ];

    public static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "curl/8.4.0",
        "Wget/1.21.4",
    ];

    public static readonly string[] Methods = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD"];

    public static readonly string[] PathParts =
    [
        "api", "v1", "v2", "login", "logout", "static", "img", "index.html", "logo.png", "search", "users", "orders",
        "health", "assets", "app.js", "style.css",
    ];

    public static readonly string[] HttpVersions = ["HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0"];

    public static readonly int[] Statuses = [200, 200, 200, 200, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 404, 500, 502, 503];

    public static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static readonly string[] ClfOffsets = ["+0000", "+0800", "-0500", "+0530", "-0700"];

    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";

    public const string Hex = "0123456789abcdef";
}
