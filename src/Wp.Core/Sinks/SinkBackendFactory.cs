using Wp.Core.Config;
using Wp.Core.Sinks.Blackhole;
using Wp.Core.Sinks.Files;
using Wp.Core.Sinks.TestRescue;

namespace Wp.Core.Sinks;

/// <summary>Creates the backend a sink's connector type names (SPEC §7.1). A new backend type is one new case.</summary>
internal static class SinkBackendFactory
{
    public static ISinkBackend Create(SinkOptions sink, TimeProvider time) => sink.Type switch
    {
        "file" => CreateFile(sink, time),
        "test_rescue" => new TestRescueBackend(CreateFile(sink, time), TestRescueSchedule.From(sink.Params, sink.SourceFile), time),
        "blackhole" => new BlackholeSinkBackend(),
        _ => throw new ConfigException(sink.SourceFile, sink.SourceLine, null, $"sink {sink.Name}: unknown backend type '{sink.Type}'"),
    };

    private static FileSinkBackend CreateFile(SinkOptions sink, TimeProvider time) =>
        new(
            new FileSinkOptions
            {
                Path = sink.OutputPath ?? throw new ConfigException(sink.SourceFile, sink.SourceLine, null, $"sink {sink.Name}: no output file"),
                Format = sink.Format,
            },
            time);
}
