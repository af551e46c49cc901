using Wp.Core.Config;
using Wp.Core.Oml;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Oml;

public class OmlModelTests
{
    private static OmlModel Model(string body, string rule = "/sys/*") =>
        OmlLoader.Parse("models/oml/sys.oml", $"name : sys\nrule : {rule}\n---\n{body}");

    private static Record Input()
    {
        var record = new Record();
        record.Add("sip", Value.Ip("10.0.0.1"));
        record.Add("status", Value.Int(200));
        record.Add("msg", Value.String("GET /"));
        record.Add("n", Value.String("42"));
        record.Add("ratio", Value.String("0.5"));
        return record;
    }

    private static (string, ValueKind, string)[] Describe(Record record) =>
        record.Fields.Select(f => (f.Name, f.Value.Kind, f.Value.ToString())).ToArray();

    [Fact]
    public void Header_gives_name_and_rule_pattern()
    {
        var model = Model("* : auto = take() ;");
        (model.Name, model.RulePattern, model.File).Should().Be(("sys", "/sys/*", "models/oml/sys.oml"));
    }

    [Fact]
    public void Star_auto_take_keeps_every_field_in_order() =>
        Describe(Model("* : auto = take() ;").Apply(Input())).Should().Equal(Describe(Input()));

    [Fact]
    public void Take_moves_fields_and_star_appends_the_rest()
    {
        var output = Model("status = take();\nsrc = take(sip);\n* = take();").Apply(Input());
        Describe(output).Should().Equal(
            ("status", ValueKind.Int, "200"), ("src", ValueKind.Ip, "10.0.0.1"),
            ("msg", ValueKind.String, "GET /"), ("n", ValueKind.String, "42"), ("ratio", ValueKind.String, "0.5"));
    }

    [Fact]
    public void Read_copies_without_removing()
    {
        var output = Model("copy = read(msg);\nmsg = read();\nmsg2 = take(msg);\nmsg3 = take(msg);").Apply(Input());
        Describe(output).Should().Equal(("copy", ValueKind.String, "GET /"), ("msg", ValueKind.String, "GET /"), ("msg2", ValueKind.String, "GET /"));
    }

    [Fact]
    public void Unclaimed_fields_are_dropped() =>
        Describe(Model("msg = take();").Apply(Input())).Should().Equal(("msg", ValueKind.String, "GET /"));

    [Fact]
    public void Constants_of_every_kind_are_added()
    {
        var output = Model("a = chars(hello world);\nb = digit(-5);\nc = float(1.5);\nd = bool(true);\ne = ip(::1);\nf = chars(\"x; y)\");").Apply(Input());
        Describe(output).Should().Equal(
            ("a", ValueKind.String, "hello world"), ("b", ValueKind.Int, "-5"), ("c", ValueKind.Float, "1.5"),
            ("d", ValueKind.Bool, "true"), ("e", ValueKind.Ip, "::1"), ("f", ValueKind.String, "x; y)"));
    }

    [Fact]
    public void Casts_convert_between_chars_and_typed_values()
    {
        var output = Model("n : digit = take();\nratio : float = take();\nsip : chars = take();\nstatus : chars = take();\nip : ip = chars(10.1.1.1);\nok : bool = chars(FALSE);")
            .Apply(Input());
        Describe(output).Should().Equal(
            ("n", ValueKind.Int, "42"), ("ratio", ValueKind.Float, "0.5"), ("sip", ValueKind.String, "10.0.0.1"),
            ("status", ValueKind.String, "200"), ("ip", ValueKind.Ip, "10.1.1.1"), ("ok", ValueKind.Bool, "false"));
    }

    [Fact]
    public void Failing_cast_empties_the_record_so_it_goes_to_error() =>
        Model("msg : digit = take();\n* = take();").Apply(Input()).Count.Should().Be(0);

    [Fact]
    public void Missing_input_field_adds_nothing() =>
        Describe(Model("nope = take();\nx = read(nothing);\nmsg = take();").Apply(Input())).Should().Equal(("msg", ValueKind.String, "GET /"));

    [Fact]
    public void Projection_with_no_surviving_fields_is_empty() =>
        Model("nope = take();").Apply(Input()).Count.Should().Be(0);

    [Fact]
    public void Input_record_is_left_unchanged()
    {
        var input = Input();
        Model("sip = take(); * = take();").Apply(input);
        Describe(input).Should().Equal(Describe(Input()));
    }

    [Fact]
    public void Comments_are_ignored() =>
        Describe(Model("// keep only the message\nmsg = take(); // trailing\n").Apply(Input())).Should().Equal(("msg", ValueKind.String, "GET /"));

    [Theory]
    [InlineData("name : sys\nrule : /sys/*\n---\nx = take()\n", 5, 1, "expected ';'")]
    [InlineData("name : sys\nrule : /sys/*\n---\nx = grab();\n", 4, 5, "unknown function 'grab'")]
    [InlineData("name : sys\nrule : /sys/*\n---\n  x : number = take();\n", 4, 7, "unknown type 'number'")]
    [InlineData("name : sys\nrule : /sys/*\n---\nx = digit(abc);\n", 4, 11, "not a valid digit constant")]
    [InlineData("name : sys\ncolour : red\n---\n", 2, 1, "unknown header key 'colour'")]
    [InlineData("name : sys\nrule : /sys/*\n* = take();\n", 3, 1, "expected 'key : value' or '---'")]
    [InlineData("name : sys\nrule : /sys/*\n---\n* : digit = take();\n", 4, 5, "'*' can only be 'auto'")]
    [InlineData("name : sys\nrule : /sys/*\n---\nx = take(;\n", 4, 10, "expected a field name")]
    public void Syntax_errors_report_file_line_and_column(string text, int line, int column, string message)
    {
        var act = () => OmlLoader.Parse("models/oml/bad.oml", text);
        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        problem.File.Should().Be("models/oml/bad.oml");
        (problem.Line, problem.Column).Should().Be((line, column));
        problem.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("rule : /sys/*\n---\n", "missing 'name")]
    [InlineData("name : sys\n---\n", "missing 'rule")]
    [InlineData("name : sys\nrule : x\n", "missing '---'")]
    public void Missing_header_parts_are_errors(string text, string message)
    {
        var act = () => OmlLoader.Parse("m.oml", text);
        act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Load_directory_reads_oml_files_recursively_and_collects_every_error()
    {
        var dir = Directory.CreateTempSubdirectory("oml-load-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "sub", "b.oml"), "name : b\nrule : /b/*\n---\n* = take();\n");
            File.WriteAllText(Path.Combine(dir, "a.oml"), "name : a\nrule : /a/*\n---\n* = take();\n");
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");

            OmlLoader.LoadDirectory(dir).Select(m => m.Name).Should().Equal("a", "b");

            File.WriteAllText(Path.Combine(dir, "c.oml"), "name : c\nrule : /c/*\n---\nx = nope();\n");
            File.WriteAllText(Path.Combine(dir, "d.oml"), "name : a\nrule : /d/*\n---\n* = take();\n");
            var act = () => OmlLoader.LoadDirectory(dir);
            act.Should().Throw<ConfigException>().Which.Problems.Select(p => (Path.GetFileName(p.File), p.Line)).Should().Equal(("c.oml", 4), ("d.oml", (int?)null));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_directory_of_a_missing_folder_is_a_config_error()
    {
        var act = () => OmlLoader.LoadDirectory(Path.Combine(Path.GetTempPath(), "oml-missing-" + Guid.NewGuid()));
        act.Should().Throw<ConfigException>();
    }
}
