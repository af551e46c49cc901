using Wp.Core.Config;
using Wp.Core.Sources.Net;

namespace Wp.Core.Sources.Syslog;

/// <summary><c>syslog_tcp_src</c>: syslog over TCP, RFC 5424/3164 headers read per <c>header_mode</c> (docs/sources.md).</summary>
internal sealed class SyslogTcpSourceProvider : ISourceProvider
{
    public string Id => "syslog_tcp_src";

    public SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source) =>
        NetSourceSettings.Read(parameters, key, Id, "tcp", syslog: true);

    public ISource Create(string key, SourceSettings settings, SourceRun run) =>
        new TcpListenerSource(key, (NetSourceSettings)settings, run);
}

/// <summary><c>syslog_udp_src</c>: syslog over UDP, one datagram per message; what cannot be taken is counted as dropped (docs/sources.md).</summary>
internal sealed class SyslogUdpSourceProvider : ISourceProvider
{
    public string Id => "syslog_udp_src";

    public SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source) =>
        NetSourceSettings.Read(parameters, key, Id, "udp", syslog: true);

    public ISource Create(string key, SourceSettings settings, SourceRun run) =>
        new UdpSource(key, (NetSourceSettings)settings, run);
}
