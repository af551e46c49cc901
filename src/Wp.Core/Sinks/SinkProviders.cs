using Wp.Core.Config;
using Wp.Core.Sinks.Blackhole;
using Wp.Core.Sinks.ClickHouse;
using Wp.Core.Sinks.Files;
using Wp.Core.Sinks.MySql;
using Wp.Core.Sinks.Postgres;
using Wp.Core.Sinks.TestRescue;

namespace Wp.Core.Sinks;

/// <summary>
/// Every sink provider the suite has. Adding a backend is one folder under <c>Sinks/</c> and one
/// line here; nothing in Config names a provider.
/// </summary>
internal static class SinkProviders
{
    public static IReadOnlyList<ISinkProvider> All { get; } =
    [
        FileSinkProvider.Instance,
        TestRescueSinkProvider.Instance,
        BlackholeSinkProvider.Instance,
        PostgresSinkProvider.Instance,
        MySqlSinkProvider.Instance,
        ClickHouseSinkProvider.Instance,
    ];

    /// <summary>The provider serving connector type <paramref name="type"/>, or null.</summary>
    public static ISinkProvider? Find(string type)
    {
        foreach (var provider in All)
        {
            if (string.Equals(provider.Type, type, StringComparison.Ordinal))
            {
                return provider;
            }
        }

        return null;
    }

    /// <summary>The connector types of every provider, for "known: …" messages.</summary>
    public static IEnumerable<string> Types => All.Select(p => p.Type);

    /// <summary>The built-in sink connectors of every provider.</summary>
    public static IEnumerable<ConnectorDefinition> Connectors => All.SelectMany(p => p.Connectors);
}
