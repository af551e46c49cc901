using Wp.Core.Config;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

public sealed class ParamExpansionTests
{
    private static readonly Dictionary<string, string> s_env = new() { ["PW"] = "s3cret", ["HOST"] = "127.0.0.1", ["EMPTY"] = "" };

    [Theory]
    [InlineData("${PW}", "s3cret")]
    [InlineData("pre-${HOST}:${PW}-post", "pre-127.0.0.1:s3cret-post")]
    [InlineData("${EMPTY}x", "x")]
    [InlineData("plain $ and ${ and $HOST and ${1X}", "plain $ and ${ and $HOST and ${1X}")]
    public void Known_variables_are_replaced_and_other_dollars_kept(string text, string expected)
    {
        ParamExpansion.TryExpandText(text, s_env.GetValueOrDefault, out var expanded, out var unset).Should().BeTrue();

        expanded.Should().Be(expected);
        unset.Should().BeNull();
    }

    [Fact]
    public void Strings_inside_lists_are_expanded_and_other_values_kept()
    {
        ParamExpansion.TryExpand(new List<object> { "${HOST}", "b" }, s_env.GetValueOrDefault, out var list, out _).Should().BeTrue();
        list.Should().BeEquivalentTo(new List<object> { "127.0.0.1", "b" });
        ParamExpansion.TryExpand(5L, s_env.GetValueOrDefault, out var number, out _).Should().BeTrue();
        number.Should().Be(5L);
    }

    [Fact]
    public void An_unset_variable_is_named()
    {
        ParamExpansion.TryExpandText("a${PW}${NOPE}", s_env.GetValueOrDefault, out _, out var unset).Should().BeFalse();

        unset.Should().Be("NOPE");
    }

    [Fact]
    public void An_unset_variable_in_sink_params_is_a_problem_naming_file_line_and_variable_but_never_a_value()
    {
        Environment.SetEnvironmentVariable("WP_TEST_PE_SET", "topsecret");
        using var root = TempWorkRoot.Create().WithMinimalProject().Write("sink/business.d/benchmark.toml", """
            [sink_group]
            name = "g"
            rule = ["/a"]
            [[sink_group.sinks]]
            connect = "file_kv_sink"
            params = { file = "${WP_TEST_PE_SET}-${WP_TEST_PE_UNSET_VARIABLE}.kv" }
            """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("sink/business.d/benchmark.toml"));
        problem.Line.Should().Be(6);
        problem.Message.Should().Contain("environment variable 'WP_TEST_PE_UNSET_VARIABLE' is not set").And.NotContain("topsecret");
    }

    [Fact]
    public void A_set_variable_is_used_in_the_output_path()
    {
        Environment.SetEnvironmentVariable("WP_TEST_PE_FILE", "from_env");
        using var root = TempWorkRoot.Create().WithMinimalProject().Write("sink/business.d/benchmark.toml", """
            [sink_group]
            name = "g"
            rule = ["/a"]
            [[sink_group.sinks]]
            connect = "file_kv_sink"
            params = { file = "${WP_TEST_PE_FILE}.kv" }
            """);

        var config = ProjectLoader.Load(root.WorkRoot);

        config.BusinessGroups.Single().Sinks.Single().OutputPath.Should().Be(root.PathOf("data/out_dat/from_env.kv"));
    }
}
