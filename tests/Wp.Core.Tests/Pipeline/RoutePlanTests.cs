using Wp.Core.Config;
using Wp.Core.Oml;
using Wp.Core.Pipeline;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Pipeline;

public class RoutePlanTests
{
    private static readonly WplRuleSet Rules = WplRuleSet.Parse([("p.wpl", "package /a { rule x { (digit) } }\npackage /b { rule y { (digit) } }\npackage /c { rule z { (digit) } }\n")]);

    [Fact]
    public void Every_rule_line_of_a_model_routes_its_paths_to_the_model_and_its_group()
    {
        var model = OmlLoader.Parse("two.oml", "name : two\nrule : /a/*\nrule : /b/*\n---\n* = take() ;\n");
        var group = new SinkGroupOptions { Name = "g", IsInfra = false, Rule = [], Oml = ["two"], Sinks = [], SourceFile = "g.toml" };
        var plan = new RoutePlan(Rules, [model], [new GroupOutlet("g", [])], [group], new Dictionary<string, GroupOutlet>());

        var x = plan.For(Rules.Rules[0]);
        var y = plan.For(Rules.Rules[1]);
        var z = plan.For(Rules.Rules[2]);

        (x.Model, x.Outlet).Should().Be((model, 0));
        (y.Model, y.Outlet).Should().Be((model, 0));
        (z.Model, z.Outlet).Should().Be(((OmlModel?)null, plan.Default));
    }
}
