using Wp.Core.Sources.Files;
using Wp.Core.Sources.Nats;
using Wp.Core.Sources.Syslog;
using Wp.Core.Sources.Tcp;

namespace Wp.Core.Sources;

/// <summary>Every source connector wparse knows (docs/sources.md): the one list config and the engine read.</summary>
internal static class SourceProviders
{
    public static IReadOnlyDictionary<string, ISourceProvider> All { get; } = new ISourceProvider[]
    {
        new FileSourceProvider(),
        new TcpSourceProvider(),
        new SyslogTcpSourceProvider(),
        new SyslogUdpSourceProvider(),
        new NatsSourceProvider(),
    }.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public static ISourceProvider? Find(string id) => All.GetValueOrDefault(id);

    /// <summary>The known ids, sorted, for "unknown connector" messages.</summary>
    public static string Known => string.Join(", ", All.Keys.Order(StringComparer.Ordinal));
}
