using Wp.Core.Config;
using Wp.Core.Sources.Net;

namespace Wp.Core.Sources.Tcp;

/// <summary><c>tcp_src</c>: plain lines over TCP (newline or octet-counted frames), passed whole (docs/sources.md).</summary>
internal sealed class TcpSourceProvider : ISourceProvider
{
    public string Id => "tcp_src";

    public SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source) =>
        NetSourceSettings.Read(parameters, key, Id, "tcp", syslog: false);

    public ISource Create(string key, SourceSettings settings, SourceRun run) =>
        new TcpListenerSource(key, (NetSourceSettings)settings, run);
}
