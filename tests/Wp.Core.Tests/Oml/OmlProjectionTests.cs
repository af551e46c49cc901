using Wp.Core.Oml;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Oml;

/// <summary>
/// Models that only take, read and rename fields run as a field projection (or, for <c>*</c> alone,
/// return the record itself); these tests hold both fast paths to the general evaluation.
/// </summary>
public class OmlProjectionTests
{
    private static OmlModel Model(string body) =>
        OmlLoader.Parse("models/oml/p.oml", $"name : p\nrule : /p/*\n---\n{body}");

    private static (string, ValueKind, string)[] Describe(Record record) =>
        record.Fields.Select(f => (f.Name, f.Value.Kind, f.Value.ToString())).ToArray();

    [Theory]
    [InlineData("* : auto = take() ;", "Identity")]
    [InlineData("* = take() ;", "Identity")]
    [InlineData("client = take(sip) ;\n* = take() ;", "Projection")]
    [InlineData("a = read(x) ;\nb : auto = take(y) ;\nx = take() ;", "Projection")]
    [InlineData("a : chars = take(x) ;", "General")]
    [InlineData("a = read(x) | to_str ;", "General")]
    [InlineData("a = chars(v) ;\n* = take() ;", "General")]
    public void Shape_is_decided_from_the_statements(string body, string shape) =>
        Model(body).Shape.ToString().Should().Be(shape);

    [Fact]
    public void Take_all_returns_the_record_itself()
    {
        var input = new Record();
        input.Add("a", Value.Int(1));
        Model("* : auto = take() ;").Apply(input).Should().BeSameAs(input);
    }

    [Fact]
    public void Raw_records_pass_unchanged_on_every_path()
    {
        var raw = Record.FromRaw("x y z");
        foreach (var body in new[] { "* = take() ;", "a = take(b) ;", "a = chars(v) ;" })
        {
            Model(body).Apply(raw).Should().BeSameAs(raw);
        }
    }

    public static TheoryData<string> Projections => new()
    {
        "* : auto = take() ;",
        "* = take() ;",
        "client = take(sip) ;\n* = take() ;",
        "status = take() ;\nsrc = take(sip) ;\n* = take() ;",
        "copy = read(msg) ;\nmsg = read() ;\nmsg2 = take(msg) ;\nmsg3 = take(msg) ;",
        "a = read(x) ;\nb = take(x) ;\nc = take(x) ;\nd = read(x) ;",
        "x = take() ;\nx = take() ;\n* = read() ;\n* = take() ;",
        "missing = take() ;\n_hidden = take() ;\ny : auto = read() ;",
        "* = read() ;\nx = take() ;\n* = take() ;",
    };

    /// <summary>Random records (duplicate names, hidden and ignored fields, empty ones) through each model: fast path == general path.</summary>
    [Theory]
    [MemberData(nameof(Projections))]
    public void Projection_agrees_with_the_general_path_on_random_records(string body)
    {
        var model = Model(body);
        model.Shape.Should().NotBe(OmlShape.General);
        var random = new Random(1234);
        string[] names = ["x", "y", "sip", "msg", "status", "_hidden", "z"];
        for (var n = 0; n < 2000; n++)
        {
            var count = n == 0 ? 0 : n == 1 ? 200 : random.Next(0, 9); // 200: more fields than the stack-tracked ones
            var fields = Enumerable.Range(0, count).Select(i => (names[random.Next(names.Length)], NextValue(random, i))).ToList();
            var expected = Describe(model.ApplyGeneral(Build(fields)));
            var output = model.Apply(Build(fields));
            Describe(output).Should().Equal(expected, "model {0} on {1} fields (case {2})", body, count, n);
        }
    }

    [Fact]
    public void Projection_leaves_room_for_the_source_key_without_regrowing()
    {
        var input = new Record(3);
        input.Add("a", Value.Int(1));
        input.Add("b", Value.Int(2));
        var output = Model("c = take(a) ;\n* = take() ;").Apply(input);
        output.FieldList.Capacity.Should().BeGreaterThan(output.Count);
    }

    private static Record Build(List<(string Name, Value Value)> fields)
    {
        var record = new Record(fields.Count + 1);
        foreach (var (name, value) in fields)
        {
            record.Add(name, value);
        }

        return record;
    }

    private static Value NextValue(Random random, int i) => random.Next(5) switch
    {
        0 => Value.Int(i),
        1 => Value.String("s" + i),
        2 => Value.Ip("10.0.0." + i),
        3 => Value.Ignore,
        _ => Value.Float(i + 0.5),
    };
}
