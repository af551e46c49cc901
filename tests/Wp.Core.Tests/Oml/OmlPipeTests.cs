using Wp.Core.Config;
using Wp.Core.Oml;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Oml;

public class OmlPipeTests
{
    private static Record Apply(string statements, params (string Name, Value Value)[] fields)
    {
        var model = OmlLoader.Parse("m.oml", "name : m\nrule : /a/*\n---\n" + statements);
        var record = new Record(4);
        foreach (var (name, value) in fields)
        {
            record.Add(name, value);
        }

        return model.Apply(record);
    }

    [Fact]
    public void Pipes_run_left_to_right_on_the_value_read()
    {
        var output = Apply("x = read(u) | url(domain) | base64_encode ;", ("u", Value.String("http://ab.cd/x")));
        output.Fields.Should().ContainSingle().Which.Should().Be(new Field("x", Value.String("YWIuY2Q=")));
    }

    [Fact]
    public void A_dropped_value_adds_no_field_unless_on_fail_supplies_one()
    {
        Apply("x = read(u) | starts_with('https') ;", ("u", Value.String("http://a"))).Count.Should().Be(0);
        Apply("x = read(u) | starts_with('https') | on_fail('plain') ;", ("u", Value.String("http://a")))
            .Fields.Should().ContainSingle().Which.Value.Should().Be(Value.String("plain"));
    }

    [Fact]
    public void Unknown_pipe_function_is_reported_with_a_suggestion_line_and_column()
    {
        var act = () => OmlLoader.Parse("m.oml", "name : m\nrule : /a/*\n---\nx = read(y) | base64_encod ;\n");
        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        (problem.Line, problem.Column).Should().Be((4, 15));
        problem.Message.Should().Contain("unknown pipe function 'base64_encod' (did you mean 'base64_encode'?)");
    }

    [Fact]
    public void Unknown_statement_function_suggests_the_closest()
    {
        var act = () => OmlLoader.Parse("m.oml", "name : m\nrule : /a/*\n---\nx = raed(y) ;\n");
        act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle()
            .Which.Message.Should().Contain("unknown function 'raed' (did you mean 'read'?)");
    }
}
