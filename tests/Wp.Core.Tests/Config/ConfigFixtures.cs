using Wp.Core.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

/// <summary>Small valid config files; tests overwrite one of them to provoke a problem.</summary>
internal static class ConfigFixtures
{
    public const string MinimalEngine = """
        version = "1.0"
        """;

    public const string MinimalSources = """
        [[sources]]
        key = "file_1"
        connect = "file_src"
        """;

    public const string MinimalBusinessGroup = """
        version = "2.0"

        [sink_group]
        name = "benchmark"
        rule = ["/sys/*"]

        [[sink_group.sinks]]
        name = "benchmark_file_sink"
        connect = "file_kv_sink"
        params = { file = "benchmark.dat" }
        """;

    /// <summary>conf/wparse.toml, conf/wpsrc.toml and one business group: the least that loads.</summary>
    public static TempWorkRoot WithMinimalProject(this TempWorkRoot root) => root
        .Write("conf/wparse.toml", MinimalEngine)
        .Write("conf/wpsrc.toml", MinimalSources)
        .Write("sink/business.d/benchmark.toml", MinimalBusinessGroup);

    /// <summary>Loads the project and returns the problems of the ConfigException it must throw.</summary>
    public static IReadOnlyList<ConfigProblem> LoadProblems(this TempWorkRoot root)
    {
        var act = () => ProjectLoader.Load(root.WorkRoot);
        return act.Should().Throw<ConfigException>().Which.Problems;
    }
}
