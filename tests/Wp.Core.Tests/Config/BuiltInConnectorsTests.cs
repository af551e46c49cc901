using Wp.Core.Config;

namespace Wp.Core.Tests.Config;

public sealed class BuiltInConnectorsTests
{
    [Theory]
    [InlineData("file_kv_sink", "file", "kv", "default.kv")]
    [InlineData("file_json_sink", "file", "json", "default.json")]
    [InlineData("file_raw_sink", "file", "raw", "default.raw")]
    [InlineData("file_proto_sink", "file", "proto-text", "default.dat")]
    [InlineData("file_rescue_sink", "test_rescue", "kv", "default.kv")]
    public void File_sinks_match_the_spec_table(string id, string type, string fmt, string file)
    {
        var c = BuiltInConnectors.All[id];

        c.Type.Should().Be(type);
        c.Params.Should().Contain("fmt", fmt).And.Contain("file", file).And.Contain("base", "./data/out_dat");
        c.AllowOverride.Should().Contain(["base", "file", "fmt"]);
        c.IsFileLike.Should().BeTrue();
    }

    [Fact]
    public void Test_rescue_phases_default_to_two_seconds_and_may_be_overridden()
    {
        var c = BuiltInConnectors.All["file_rescue_sink"];

        c.Params.Should().Contain("up_ms", 2000L).And.Contain("down_ms", 2000L);
        c.AllowOverride.Should().Contain(["up_ms", "down_ms"]);
    }

    [Fact]
    public void Blackhole_and_file_source_are_built_in()
    {
        BuiltInConnectors.All["blackhole_sink"].Type.Should().Be("blackhole");
        BuiltInConnectors.All["blackhole_sink"].Params.Should().BeEmpty();
        var src = BuiltInConnectors.All["file_src"];
        src.Type.Should().Be(ConnectorTypes.FileSource);
        src.Params.Should().Contain("base", "./data/in_dat").And.Contain("file", "gen.dat");
    }
}
