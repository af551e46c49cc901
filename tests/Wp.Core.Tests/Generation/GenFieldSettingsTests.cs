using Wp.Core.Config;
using Wp.Core.Generation;
using Wp.Core.Records;
using Wp.Core.Tests.Support;
using static Wp.Core.Tests.Generation.GenTestRules;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Generation;

/// <summary>gen_field.toml: ranges, choices and prefixes are honoured; mistakes are config errors with file and line.</summary>
public sealed class GenFieldSettingsTests
{
    private const string SettingsRule =
        "(digit:n, float:f, http/status:s, time:t, time/clf:c, ip:addr, chars:pick, chars:tag, sn:dev, kv:proto, " +
        "kv(digit@bytes, chars@user), json(digit@size, chars@color), digit:fixed\", chars:quoted\", chars:last)";

    private const string Settings = """
        [fields.n]
        range = [10, 20]
        [fields.f]
        range = [0.5, 1.5]
        [fields.s]
        range = [400, 404]
        [fields.t]
        range = [2023-05-01T00:00:00, 2023-05-01T00:00:59]
        [fields.c]
        range = ["2020-01-01 00:00:00", "2020-01-02 00:00:00"]
        [fields.addr]
        range = ["10.0.0.250", "10.0.1.5"]
        [fields.pick]
        choices = ["a b", "c,d", 'say "hi"', 'back\slash', "", "-", "\"lead"]
        [fields.tag]
        prefix = "gw-"
        [fields.dev]
        prefix = "SN-"
        [fields.proto]
        choices = ["tcp", "udp", "two words"]
        [fields.bytes]
        range = [1, 9]
        [fields.user]
        choices = ["alice smith", "bob"]
        [fields.size]
        range = [100, 200]
        [fields.color]
        choices = ["red", "dark \"blue\""]
        [fields.fixed]
        choices = [7]
        [fields.quoted]
        choices = ['a "b" \c']
        [fields.last]
        choices = ["x y"]
        """;

    [Fact]
    public void Ranges_choices_and_prefixes_are_honoured_in_the_parsed_values()
    {
        var parse = Parse(SettingsRule);
        var records = Generator(SettingsRule, Settings).Lines(7, 2000).Select(line =>
        {
            var match = parse.Match(line);
            match.MissReason.Should().BeNull(line);
            match.Residue.Should().BeNull(line);
            return match.Record!;
        }).ToList();

        Ints(records, "n").Should().OnlyContain(v => v >= 10 && v <= 20).And.Contain(10).And.Contain(20);
        records.Select(r => Get(r, "f").AsFloat).Should().OnlyContain(v => v >= 0.5 && v <= 1.5);
        Ints(records, "s").Should().OnlyContain(v => v >= 400 && v <= 404);
        Times(records, "t").Should().OnlyContain(t => t >= new DateTime(2023, 5, 1) && t <= new DateTime(2023, 5, 1, 0, 0, 59));
        Times(records, "c").Should().OnlyContain(t => t >= new DateTime(2020, 1, 1) && t <= new DateTime(2020, 1, 2));
        Texts(records, "addr").Should().OnlyContain(ip => ip.StartsWith("10.0.0.25", StringComparison.Ordinal) || ip.StartsWith("10.0.1.", StringComparison.Ordinal))
            .And.Contain("10.0.0.250").And.Contain("10.0.1.5");
        Texts(records, "pick").Distinct().Should().BeEquivalentTo("a b", "c,d", "say \"hi\"", "back\\slash", "", "-", "\"lead");
        Texts(records, "tag").Should().OnlyContain(v => v.StartsWith("gw-", StringComparison.Ordinal) && v.Length == 7);
        Texts(records, "dev").Should().OnlyContain(v => v.StartsWith("SN-", StringComparison.Ordinal) && v.Length == 7);
        Texts(records, "proto").Distinct().Should().BeEquivalentTo("tcp", "udp", "two words");
        Ints(records, "bytes").Should().OnlyContain(v => v >= 1 && v <= 9);
        Texts(records, "user").Distinct().Should().BeEquivalentTo("alice smith", "bob");
        Ints(records, "size").Should().OnlyContain(v => v >= 100 && v <= 200);
        Texts(records, "color").Distinct().Should().BeEquivalentTo("red", "dark \"blue\"");
        Ints(records, "fixed").Should().OnlyContain(v => v == 7);
        Texts(records, "quoted").Should().OnlyContain(v => v == "a \"b\" \\c");
        Texts(records, "last").Should().OnlyContain(v => v == "x y");
    }

    [Fact]
    public void Choices_of_an_unnamed_kv_are_whole_pairs()
    {
        const string rule = "(kv, digit)\\,";
        var parse = Parse(rule);

        var pairs = Generator(rule, "[fields.kv]\nchoices = [\"proto=tcp\", 'action=allow all', \"zone:dmz\"]\n").Lines(3, 300)
            .Select(line => parse.Match(line).Record![0]).Select(f => (f.Name, f.Value.ToString())).Distinct();

        pairs.Should().BeEquivalentTo([("proto", "tcp"), ("action", "allow all"), ("zone", "dmz")]);
    }

    [Fact]
    public void Settings_apply_to_every_field_and_subfield_of_that_name()
    {
        const string rule = "(digit:port, chars, digit:port, kvarr(digit@port))";
        var parse = Parse(rule);

        var ports = Generator(rule, "[fields.port]\nrange = [80, 81]\n").Lines(5, 300)
            .SelectMany(line => parse.Match(line).Record!.Fields.Where(f => f.Name == "port").Select(f => f.Value.AsInt));

        ports.Should().OnlyContain(p => p == 80 || p == 81).And.HaveCountGreaterThan(600);
    }

    public static TheoryData<string, int, string> BadSettings() => new()
    {
        { "[fields.n]\nrange = [1, 2]\nstep = 3\n", 3, "unknown key 'step' in [fields.n]" },
        { "colour = 1\n", 1, "unknown key 'colour'" },
        { "[fields.name]\nrange = [1, 5]\n", 2, "fields.name.range applies to digit, float, http/status, time, time/clf and ip, not chars" },
        { "[fields.n]\nchoices = [\"x\", 5]\n", 2, "fields.n.choices: 'x' is not a digit value" },
        { "[fields.nope]\nrange = [1, 2]\n", 1, "no field named 'nope' in the rules of gen_rule.wpl (fields: at, n, name, sn)" },
        { "[fields.n]\nrange = [5, 1]\n", 2, "fields.n.range: a digit range is two integers [LOW, HIGH] with LOW <= HIGH" },
        { "[fields.n]\nrange = [1, \"2\"]\n", 2, "fields.n.range must be [LOW, HIGH]" },
        { "[fields.n]\nrange = [1, 2]\nchoices = [1]\n", 1, "use one of range, choices or prefix, not several" },
        { "[fields.n]\nrange = = 1\n", 2, "invalid TOML" },
        { "[fields.sn]\nprefix = \"a b\"\n", 2, "fields.sn.prefix: 'a b' has chars an sn cannot hold" },
        { "[fields.n]\nprefix = \"x\"\n", 2, "fields.n.prefix applies to chars, _, sn and kv values, not digit" },
        { "[fields.at]\nchoices = [\"a]b\"]\n", 2, "fields.at.choices: 'a]b' cannot be written inside the enclosure: it contains ']'" },
        { "[fields.name]\nchoices = [\"two\\nlines\"]\n", 2, "a choice must not contain a line break" },
        { "fields = 3\n", 1, "fields must be a table" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_gen_field_toml_is_a_config_error_with_file_and_line(string toml, int line, string message)
    {
        using var root = TempWorkRoot.Create()
            .Write("models/wpl/a/gen_rule.wpl", Package("(digit:n, chars:name, sn, chars:at<[,]>)"))
            .Write("models/wpl/a/gen_field.toml", toml);

        var act = () => GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        var file = root.PathOf("models/wpl/a/gen_field.toml");
        act.Should().Throw<ConfigException>().Which.Problems.Should().OnlyContain(p => p.File == file)
            .And.Contain(p => p.Line == line && p.Message.Contains(message));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        using var root = TempWorkRoot.Create()
            .Write("models/wpl/a/gen_rule.wpl", Package("(digit:n, chars:name)"))
            .Write("models/wpl/a/gen_field.toml", "[fields.n]\nrange = [2, 1]\n[fields.name]\nrange = [1, 2]\ntypo = 1\n");

        var act = () => GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        act.Should().Throw<ConfigException>().Which.Problems.Select(p => p.Line).Should().BeEquivalentTo([2, 4, 5]);
    }

    [Fact]
    public void A_choice_that_does_not_read_back_in_its_rule_is_a_config_error_at_the_choice()
    {
        // A valid address, but an unenclosed ip followed by '.' and a number reads as a longer address.
        using var root = TempWorkRoot.Create()
            .Write("models/wpl/a/gen_rule.wpl", Package("(ip:addr, digit)\\."))
            .Write("models/wpl/a/gen_field.toml", "[fields.addr]\nchoices = [\"10.0.0.1\"]\n");

        var act = () => GenRuleSet.LoadDirectory(root.PathOf("models/wpl"));

        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        (problem.Line, problem.Column).Should().Be((2, 12));
        problem.Message.Should().Contain("fields.addr.choices: '10.0.0.1' does not read back in rule /t/r (field 1 'addr' expected ip at column 1)");
    }

    private static Value Get(Record record, string name) => record.Find(name)!.Value.Value;

    private static IEnumerable<long> Ints(IEnumerable<Record> records, string name) => records.Select(r => Get(r, name).AsInt);

    private static IEnumerable<DateTime> Times(IEnumerable<Record> records, string name) => records.Select(r => Get(r, name).AsDateTime);

    private static IEnumerable<string> Texts(IEnumerable<Record> records, string name) => records.Select(r => Get(r, name).ToString());
}
