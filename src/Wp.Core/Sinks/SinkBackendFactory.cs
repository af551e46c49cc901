using Wp.Core.Config;

namespace Wp.Core.Sinks;

/// <summary>Creates a sink's backend from the settings its provider read at load.</summary>
internal static class SinkBackendFactory
{
    /// <exception cref="ConfigException">The sink has no usable settings (its config had problems).</exception>
    public static ISinkBackend Create(SinkOptions sink, TimeProvider time) =>
        sink.Settings?.Create(time)
        ?? throw new ConfigException(sink.SourceFile, sink.SourceLine, null, $"sink {sink.Name}: connector type '{sink.Type}' has no usable settings");
}
