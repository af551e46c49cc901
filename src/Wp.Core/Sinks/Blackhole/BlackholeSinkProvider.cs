using Wp.Core.Config;

namespace Wp.Core.Sinks.Blackhole;

/// <summary>Connector type <c>blackhole</c>: accepts and discards everything (connector blackhole_sink, no params).</summary>
internal sealed class BlackholeSinkProvider : ISinkProvider, ISinkSettings
{
    public const string TypeName = "blackhole";

    public static BlackholeSinkProvider Instance { get; } = new();

    public string Type => TypeName;

    public IReadOnlyList<ConnectorDefinition> Connectors { get; } = [new() { Id = "blackhole_sink", Type = TypeName }];

    public string Target => TypeName;

    public ISinkSettings? Read(SinkParams parameters)
    {
        parameters.OnlyKnown();
        return this;
    }

    public ISinkBackend Create(TimeProvider time) => new BlackholeSinkBackend();
}
