using System.Globalization;
using System.Net;
using Wp.Core.Config;
using Wp.Core.Sources.Syslog;

namespace Wp.Core.Sources.Net;

/// <summary>How a TCP connection's messages are delimited (docs/sources.md).</summary>
internal enum Framing
{
    /// <summary>Decided per connection from its first byte: a digit starts RFC 6587 octet counting, anything else newlines.</summary>
    Auto,
    Newline,
    OctetCounting,
}

/// <summary>
/// The params of a network source (syslog_tcp_src, syslog_udp_src, tcp_src), docs/sources.md. Defaults:
/// <c>addr</c> 0.0.0.0, <c>port</c> 1514, <c>max_line_bytes</c> 1 MiB, <c>idle_exit_sec</c> 3,
/// <c>header_mode</c> parse (syslog sources; tcp_src keeps lines whole), <c>framing</c> auto (TCP).
/// </summary>
internal sealed record NetSourceSettings(
    string Protocol, IPAddress Address, int Port, int MaxLineBytes, int IdleExitSec, HeaderMode HeaderMode, Framing Framing) : SourceSettings
{
    public const int DefaultPort = 1514;
    public const int DefaultMaxLineBytes = 1024 * 1024;
    public const int DefaultIdleExitSec = 3;

    public override string Target => string.Create(CultureInfo.InvariantCulture, $"{Protocol}://{Address}:{Port}");

    /// <summary>Reads the params a network provider takes; <paramref name="syslog"/> adds header_mode, <paramref name="tcp"/> framing.</summary>
    public static NetSourceSettings? Read(TableReader? p, string key, string connector, string protocol, bool syslog)
    {
        var tcp = protocol == "tcp";
        string[] known = ["addr", "port", "max_line_bytes", "idle_exit_sec", .. syslog ? new[] { "header_mode" } : [], .. tcp ? new[] { "framing" } : []];
        SourceParams.RejectUnknown(p, key, connector, known);
        var ok = true;
        var address = IPAddress.Any;
        if (p?.Table.Get("addr") is { } addrEntry && p.String("addr") is { } addr)
        {
            if (!IPAddress.TryParse(addr, out address!))
            {
                p.Problem(addrEntry, $"{p.Name("addr")} must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{addr}')");
                ok = false;
            }
        }
        else if (p?.Table.Get("addr") is not null)
        {
            ok = false;
        }

        int? Int(string name, int min, int max, int fallback)
        {
            if (p?.Table.Get(name) is null)
            {
                return fallback;
            }

            return p.Int32(name, min, max);
        }

        var port = Int("port", 1, 65535, DefaultPort);
        var maxLine = Int("max_line_bytes", 16, 256 * 1024 * 1024, DefaultMaxLineBytes);
        var idle = Int("idle_exit_sec", 1, 86400, DefaultIdleExitSec);
        var mode = HeaderMode.Keep;
        if (syslog)
        {
            mode = (p?.Table.Get("header_mode") is null ? "parse" : p.OneOf("header_mode", "parse", "strip", "keep")) switch
            {
                "parse" => HeaderMode.Parse,
                "strip" => HeaderMode.Strip,
                "keep" => HeaderMode.Keep,
                _ => (HeaderMode)(-1),
            };
        }

        var framing = Framing.Auto;
        if (tcp)
        {
            framing = (p?.Table.Get("framing") is null ? "auto" : p.OneOf("framing", "auto", "newline", "octet_counting")) switch
            {
                "auto" => Framing.Auto,
                "newline" => Framing.Newline,
                "octet_counting" => Framing.OctetCounting,
                _ => (Framing)(-1),
            };
        }

        if (!ok || port is null || maxLine is null || idle is null || (int)mode < 0 || (int)framing < 0)
        {
            return null;
        }

        return new NetSourceSettings(protocol, address, port.Value, maxLine.Value, idle.Value, mode, framing);
    }
}
