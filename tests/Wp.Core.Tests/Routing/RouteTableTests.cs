using Wp.Core.Config;
using Wp.Core.Routing;

namespace Wp.Core.Tests.Routing;

public sealed class RouteTableTests
{
    [Fact]
    public void The_longest_matching_pattern_wins_whichever_group_has_it()
    {
        var table = new RouteTable([Group("all", rule: ["/sys/*"]), Group("one", rule: ["/sys/benchmark_1"])], new Dictionary<string, string>());

        table.GroupFor("/sys/benchmark_1").Should().Be(1);
        table.GroupFor("/sys/benchmark_2").Should().Be(0);
    }

    [Fact]
    public void On_a_tie_the_group_loaded_first_wins()
    {
        var table = new RouteTable([Group("first", rule: ["/a/*"]), Group("second", rule: ["/a/*"])], new Dictionary<string, string>());

        table.GroupFor("/a/x").Should().Be(0);
    }

    [Fact]
    public void A_group_claims_paths_through_the_rule_patterns_of_the_oml_models_it_names()
    {
        var models = new Dictionary<string, string> { ["sys"] = "/sys/*", ["example"] = "/example/*" };
        var table = new RouteTable([Group("benchmark", oml: ["sys"]), Group("example", oml: ["example"])], models);

        table.GroupFor("/sys/benchmark_2").Should().Be(0);
        table.GroupFor("/example/nginx").Should().Be(1);
        table.GroupFor("/other/rule").Should().Be(RouteTable.Unclaimed);
    }

    private static SinkGroupOptions Group(string name, string[]? rule = null, string[]? oml = null) => new()
    {
        Name = name,
        IsInfra = false,
        Rule = rule ?? [],
        Oml = oml ?? [],
        Sinks = [],
        SourceFile = name + ".toml",
    };
}
