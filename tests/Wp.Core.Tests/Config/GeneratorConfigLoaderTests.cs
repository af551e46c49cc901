using Wp.Core.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

public sealed class GeneratorConfigLoaderTests
{
    [Fact]
    public void A_missing_wpgen_toml_gives_the_defaults()
    {
        using var root = TempWorkRoot.Create();

        var options = GeneratorConfigLoader.Load(root.WorkRoot);

        options.Mode.Should().Be(GeneratorMode.Sample);
        options.Count.Should().Be(10000);
        options.Speed.Should().Be(0);
        options.Connect.Should().Be("file_raw_sink");
        options.OutputPath.Should().Be(root.PathOf("data/in_dat/gen.dat"));
        options.Format.Should().Be("raw");
    }

    [Fact]
    public void Generator_and_output_sections_are_read()
    {
        using var root = TempWorkRoot.Create().Write("conf/wpgen.toml", """
            version = "1.0"
            [generator]
            mode = "rule"
            count = 500
            speed = 100

            [output]
            connect = "file_raw_sink"
            params = { base = "./data/in_dat", file = "rule.dat" }
            """);

        var options = GeneratorConfigLoader.Load(root.WorkRoot);

        options.Mode.Should().Be(GeneratorMode.Rule);
        options.Count.Should().Be(500);
        options.Speed.Should().Be(100);
        options.OutputPath.Should().Be(root.PathOf("data/in_dat/rule.dat"));
        options.Params.Should().Contain("file", "rule.dat");
    }

    [Fact]
    public void Output_params_without_connect_override_the_generator_default_file()
    {
        using var root = TempWorkRoot.Create().Write("conf/wpgen.toml", """
            [output]
            params = { file = "other.dat" }
            """);

        GeneratorConfigLoader.Load(root.WorkRoot).OutputPath.Should().Be(root.PathOf("data/in_dat/other.dat"));
    }

    [Theory]
    [InlineData("[generator]\nmode = \"random\"\n", 2, "generator.mode must be one of sample | rule")]
    [InlineData("[generator]\ncount = -1\n", 2, "generator.count must be >= 0")]
    [InlineData("[generator]\nparallel = 0\n", 2, "generator.parallel must be between 1 and 1024")]
    [InlineData("[generator]\nworkers = 2\n", 2, "unknown key 'workers' in [generator]")]
    [InlineData("[logging]\nlevel = \"loud\"\n", 2, "logging.level: 'loud' is not LEVEL")]
    [InlineData("[logging]\nfile = \"x\"\n", 2, "unknown key 'file' in [logging]")]
    [InlineData("[output]\nconnect = \"blackhole_sink\"\n", 2, "'blackhole_sink' is not a file sink connector")]
    [InlineData("[output]\nconnect = \"file_raw_sink\"\nparams = { up_ms = 3 }\n", 3, "param 'up_ms' of the generator output may not be overridden")]
    public void Problems_name_wpgen_toml_and_the_line(string content, int line, string message)
    {
        using var root = TempWorkRoot.Create().Write("conf/wpgen.toml", content);

        var act = () => GeneratorConfigLoader.Load(root.WorkRoot);

        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        problem.File.Should().Be(root.PathOf("conf/wpgen.toml"));
        problem.Line.Should().Be(line);
        problem.Message.Should().Contain(message);
    }
}
