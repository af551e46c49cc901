using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Wpl;
using Record = Wp.Core.Records.Record;
using static Wp.Core.Tests.Wpl.WplTestRules;

namespace Wp.Core.Tests.Wpl;

/// <summary>One test group per upstream construct: what it parses, and where a mistake is reported.</summary>
public class WplUpstreamSyntaxTests
{
    private static ConfigProblem Problem(string text)
    {
        var act = () => WplRuleSet.Parse([("models/wpl/u/parse.wpl", text)]);
        return act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
    }

    private static string Fields(Record record) =>
        string.Join(" ", record.Fields.Select(f => $"{f.Name}={f.Value}"));

    // ---- annotations -------------------------------------------------------------------

    [Fact]
    public void Tag_annotation_adds_its_pairs_to_every_record_of_the_rule()
    {
        var rules = WplRuleSet.Parse([("p.wpl", "package /a {\n  #[tag(kind: \"fw\", level: \"3\")]\n  rule r { (digit:n) }\n}\n")]);
        Fields(rules.Match("42").Record!).Should().Be("n=42 kind=fw level=3");
    }

    [Fact]
    public void Package_annotation_is_merged_under_the_rules_own()
    {
        var rules = WplRuleSet.Parse([("p.wpl", "#[tag(site: \"x\", kind: \"pkg\")]\npackage /a {\n  #[tag(kind: \"rule\"), copy_raw(name: \"raw\")]\n  rule r { (digit:n) }\n}\n")]);
        Fields(rules.Match("7").Record!).Should().Be("n=7 raw=7 kind=rule site=x");
    }

    [Fact]
    public void Unterminated_annotation_is_reported_at_its_start()
    {
        var p = Problem("package /a {\n  #[tag(k: \"v\")\n  rule r { (digit) }\n");
        (p.File, p.Line, p.Column).Should().Be(("models/wpl/u/parse.wpl", 2, 3));
    }

    [Fact]
    public void Copy_raw_without_a_name_is_an_error_at_the_item()
    {
        var p = Problem("package /a {\n  #[copy_raw()]\n  rule r { (digit) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 5));
        p.Message.Should().Contain("copy_raw needs a field name");
    }

    // ---- preprocessing -----------------------------------------------------------------

    [Fact]
    public void Decode_base64_then_unquote_feeds_the_decoded_text_to_the_fields()
    {
        // base64 of "{ \"a\": 2 }" with outer quotes and escaped inner quotes
        var line = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\"{ \\\"a\\\": 2 }\""));
        Fields(Parsed("|decode/base64|unquote/unescape|(json)", line)).Should().Be("a=2");
    }

    [Fact]
    public void Decode_hex_and_strip_bom_run_left_to_right()
    {
        var line = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes("\uFEFFhello 5"));
        Fields(Parsed("| decode/hex | strip/bom |(chars:w, digit:n)", line)).Should().Be("w=hello n=5");
    }

    [Fact]
    public void A_step_that_rejects_the_line_is_the_miss_reason()
    {
        var match = Match("|decode/base64|(chars)", "not base64 !!");
        match.IsMatch.Should().BeFalse();
        match.MissReason.Should().Contain("preprocessing step 'decode/base64' rejected the line");
    }

    [Fact]
    public void Unknown_step_suggests_the_closest_name_with_line_and_column()
    {
        var p = Problem("package /a {\n  rule r { |decode/base46|(chars) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 13));
        p.Message.Should().Contain("unknown preprocessing step 'decode/base46' (did you mean 'decode/base64'?)");
    }

    // ---- sub-splits and field functions -------------------------------------------------

    [Fact]
    public void Field_pipe_group_re_splits_the_fields_value()
    {
        var record = Parsed("(chars:req\" | (chars:method, chars:url, chars:proto), digit:status)", "\"GET /a HTTP/1.1\" 200");
        Fields(record).Should().Be("req=GET /a HTTP/1.1 method=GET url=/a proto=HTTP/1.1 status=200");
    }

    [Fact]
    public void Kv_value_re_split_into_repeated_pairs()
    {
        var record = Parsed("(kv() | (*kv()\\|))", "Block: type=FWD|action=BLOCK|tcpFlags=|x=1");
        Fields(record).Should().Be("Block=type=FWD|action=BLOCK|tcpFlags=|x=1 type=FWD action=BLOCK tcpFlags= x=1");
    }

    [Fact]
    public void Check_functions_gate_the_field()
    {
        Parsed("(digit:status | digit_range(200, 299), chars)", "204 ok")[0].Value.Should().Be(Value.Int(204));
        var miss = Match("(digit:status | digit_range(200, 299), chars)", "404 nope");
        miss.MissReason.Should().Contain("field 1 'status' pipe 'digit_range(200, 299)' failed");
        Match("(chars:lvl | chars_in([WARN, ERROR]))", "ERROR").IsMatch.Should().BeTrue();
        Match("(chars:lvl | not(chars_has(DEBUG)))", "DEBUG").IsMatch.Should().BeFalse();
        Match("(chars:m | regex_match('^a+b$'))", "aaab").IsMatch.Should().BeTrue();
    }

    [Fact]
    public void Transform_functions_rewrite_the_active_field()
    {
        Fields(Parsed("(chars:m | chars_replace(error, ERROR))", "an_error")).Should().Be("m=an_ERROR");
        Fields(Parsed("(chars:m | base64_decode())", "aGk=")).Should().Be("m=hi");
        Fields(Parsed("(json | take(log) | json_unescape())", "{\"log\":\"a\\\\tb\"}")).Should().Be("log=a\tb");
    }

    [Fact]
    public void Unknown_function_suggests_the_closest_name_with_line_and_column()
    {
        var p = Problem("package /a {\n  rule r {\n    (digit | digit_rang(1, 2))\n  }\n}\n");
        (p.Line, p.Column).Should().Be((3, 14));
        p.Message.Should().Contain("unknown field function 'digit_rang' (did you mean 'digit_range'?)");
    }

    [Fact]
    public void Wrong_argument_count_is_reported_at_the_function()
    {
        var p = Problem("package /a {\n  rule r { (digit | digit_range(1)) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 21));
        p.Message.Should().Contain("function 'digit_range' takes 2 argument(s), found 1");
    }

    // ---- separators --------------------------------------------------------------------

    [Fact]
    public void Escaped_run_is_one_multi_character_separator()
    {
        Fields(Parsed("(digit:a, chars:b, chars:c)\\|\\!", "1|!x y|!z")).Should().Be("a=1 b=x y c=z");
        Fields(Parsed("(_\\%\\%, chars:m\\/, chars:s)", "head %%mod/4")).Should().Be("m=mod s=4");
    }

    [Fact]
    public void Escaped_letters_in_a_run_are_literal()
    {
        Fields(Parsed("(_\\S\\y\\s\\m\\o\\n\\:, chars:rest\\0)", "prefix Sysmon: the event")).Should().Be("rest=the event");
    }

    [Fact]
    public void Backslash_newline_separator_takes_the_rest_of_the_line()
    {
        Fields(Parsed("(chars:t<[,]>, chars:msg\\\n)", "[Thu Jun 09] jk2_init() Found child")).Should().Be("t=Thu Jun 09 msg=jk2_init() Found child");
    }

    [Fact]
    public void Pattern_separator_keeps_its_parenthesised_tail_for_the_next_field()
    {
        var record = Parsed("(ip{*\\s(dst=)}:src, kv, chars:rest\\0)", "10.0.0.1   dst=10.0.0.2 tail text");
        Fields(record).Should().Be("src=10.0.0.1 dst=10.0.0.2 rest=tail text");
        Fields(Parsed("(ip:client, chars:user, time:ts){\\h|\\h}", "192.168.1.1 | admin | 2024-01-01 10:00:00"))
            .Should().Be("client=192.168.1.1 user=admin ts=2024-01-01 10:00:00");
    }

    [Fact]
    public void Kvarr_splits_pairs_on_its_pattern_so_values_may_hold_spaces_and_bars()
    {
        var record = Parsed("(kvarr(digit@n){\\|(\\S=)})", "name=a b|c d|n=5|msg=x");
        Fields(record).Should().Be("name=a b|c d n=5 msg=x");
    }

    [Fact]
    public void Pattern_with_two_stars_is_an_error_at_the_second()
    {
        var p = Problem("package /a {\n  rule r { (chars{*a*}) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 21));
        p.Message.Should().Contain("at most one '*'");
    }

    [Fact]
    public void Single_letter_separator_is_still_an_error_with_the_choices()
    {
        var p = Problem("package /a {\n  rule r { (digit\\q) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 18));
        p.Message.Should().Contain("bad separator '\\q'");
    }

    // ---- enclosures, repeats, groups ---------------------------------------------------

    [Fact]
    public void Angle_bracket_enclosure_reads_syslog_priority()
    {
        Fields(Parsed("(digit:pri<<,>>, chars:host)", "<14>gw01")).Should().Be("pri=14 host=gw01");
    }

    [Fact]
    public void Star_repeats_while_the_field_matches_and_caret_repeats_n_times()
    {
        Fields(Parsed("(chars:a, *digit)", "x 1 2 3")).Should().Be("a=x digit=1 digit=2 digit=3");
        Fields(Parsed("(_^2, chars:c)", "a b c")).Should().Be("c=c");
    }

    [Fact]
    public void Some_of_group_takes_matching_alternatives_in_any_order()
    {
        var body = "(symbol([)), some_of(json(symbol(cpu)@name, @value:cpu), json(symbol(mem)@name, @value:mem), _)\\,";
        Fields(Parsed(body, "[{\"name\": \"mem\", \"value\": 5}, {\"name\": \"cpu\", \"value\": 1.5}]")).Should().Be("symbol=[ mem=5 cpu=1.5");
    }

    [Fact]
    public void Opt_group_may_be_absent_and_alt_takes_the_first_alternative_that_matches()
    {
        Fields(Parsed("(digit:a), opt(symbol(x)), (chars:b)", "1 x y")).Should().Be("a=1 symbol=x b=y");
        Fields(Parsed("(digit:a), opt(symbol(x)), (chars:b)", "1 y")).Should().Be("a=1 b=y");
        Fields(Parsed("alt(ip:addr, digit:num)", "42")).Should().Be("num=42");
    }

    [Fact]
    public void Unknown_group_word_is_reported_where_the_group_starts()
    {
        var p = Problem("package /a {\n  rule r { (digit), any(chars) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 21));
        p.Message.Should().Contain("expected '(' to start a field group");
    }

    // ---- types -------------------------------------------------------------------------

    [Theory]
    [InlineData("time_timestamp", "1739000000", "2025-02-08 07:33:20")]
    [InlineData("time_timestamp", "1676304603062", "2023-02-13 16:10:03.062")]
    [InlineData("time", "Jul 22 2024 09:58:26", "2024-07-22 09:58:26")]
    [InlineData("time", "Feb  7 2025 15:07:18", "2025-02-07 15:07:18")]
    [InlineData("time_2822", "Tue, 01 Dec 2026 10:00:00 +0000", "2026-12-01 10:00:00")]
    [InlineData("base64", "aGVsbG8=", "hello")]
    [InlineData("hex", "68656c6c6f", "hello")]
    [InlineData("port", "8080", "8080")]
    [InlineData("domain", "api.example.com", "api.example.com")]
    [InlineData("email", "ops@example.com", "ops@example.com")]
    [InlineData("url", "https://example.com/a?b=1", "https://example.com/a?b=1")]
    [InlineData("ip_net", "10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("http/method", "POST", "POST")]
    [InlineData("array/chars", "[\"a\",\"b\"]", "[\"a\",\"b\"]")]
    [InlineData("auto", "3.5", "3.5")]
    public void Upstream_types_parse_their_examples(string type, string text, string expected)
    {
        var record = Parsed($"({type}:v\\0)", text);
        var value = record[0].Value;
        (value.Kind == ValueKind.DateTime ? value.AsDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFF", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('.') : value.ToString())
            .Should().Be(expected);
    }

    [Theory]
    [InlineData("port", "70000")]
    [InlineData("base64", "%%%")]
    [InlineData("hex", "6g")]
    [InlineData("email", "nobody")]
    [InlineData("url", "example.com")]
    [InlineData("time_timestamp", "12ab")]
    public void Upstream_types_reject_what_is_not_theirs(string type, string text) =>
        Match($"({type}:v, chars)", text + " tail").IsMatch.Should().BeFalse();

    [Fact]
    public void Unknown_type_suggests_the_closest_name()
    {
        var p = Problem("package /a {\n  rule r { (digit, time_timestmp) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 20));
        p.Message.Should().Contain("unknown field type 'time_timestmp' (did you mean 'time_timestamp'?)");
    }

    [Fact]
    public void Json_subfields_rename_convert_wildcard_and_ignore()
    {
        var record = Parsed("(json(time_timestamp@ts:at, @msg:text, @detail*, _@*))",
            "{\"ts\": 1739000000, \"msg\": \"hi\", \"details\": [1], \"other\": 2}");
        Fields(record).Should().Be("at=2025-02-08 07:33:20 text=hi details[0]=1");
    }

    [Fact]
    public void Kv_with_one_subfield_reads_one_pair_with_that_key()
    {
        Fields(Parsed("(kv(chars@User), kv(digit@Port))\\,", "User=\"a, b\", Port=80")).Should().Be("User=a, b Port=80");
        Match("(kv(chars@User), kv(digit@Port))\\,", "User=x, Other=80").IsMatch.Should().BeFalse();
    }

    // ---- error messages that teach -----------------------------------------------------

    [Fact]
    public void Enclosure_after_the_separator_explains_the_field_order()
    {
        var p = Problem("package /a {\n  rule r { (chars:a\\,\", digit) }\n}\n");
        (p.Line, p.Column).Should().Be((2, 22));
        p.Message.Should().Contain("missing ')' or ',' after field, found '\"'");
        p.Message.Should().Contain("[N*]type[(...)][:name][[len]][\"|<BEGIN,END>][\\sep][| pipe]");
    }
}
