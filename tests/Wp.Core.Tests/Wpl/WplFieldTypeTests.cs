using Wp.Core.Records;
using static Wp.Core.Tests.Wpl.WplTestRules;

namespace Wp.Core.Tests.Wpl;

public class WplFieldTypeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("-17", -17L)]
    [InlineData("+5", 5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Digit_parses_signed_int64(string text, long expected)
    {
        var record = Parsed("(digit)", text);
        record[0].Name.Should().Be("digit");
        record[0].Value.Should().Be(Value.Int(expected));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12abc")]
    [InlineData("9223372036854775808")]
    [InlineData("-")]
    public void Digit_rejects_non_integers_and_overflow(string text) =>
        Match("(digit, chars)", text + " tail").IsMatch.Should().BeFalse();

    [Theory]
    [InlineData("3.5", 3.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("7", 7.0)]
    [InlineData("1e3", 1000.0)]
    public void Float_parses_decimal_numbers(string text, double expected) =>
        Parsed("(float)", text)[0].Value.Should().Be(Value.Float(expected));

    [Fact]
    public void Float_rejects_words() => Match("(float, chars)", "x.5 tail").IsMatch.Should().BeFalse();

    [Fact]
    public void Chars_takes_a_token_up_to_the_separator() =>
        Parsed("(chars, chars)", "hello world").Describe().Should().Equal(
            ("chars", ValueKind.String, "hello"), ("chars", ValueKind.String, "world"));

    [Fact]
    public void Chars_takes_the_content_of_a_leading_quoted_string() =>
        Parsed("(chars, digit)", "\"hello big world\" 5").Describe().Should().Equal(
            ("chars", ValueKind.String, "hello big world"), ("digit", ValueKind.Int, "5"));

    [Fact]
    public void Chars_decodes_escaped_quotes_and_backslashes_inside_quotes()
    {
        var record = Parsed("(chars\", digit)", "\"say \\\"hi\\\" \\\\ \\n\" 5");
        record[0].Value.ToString().Should().Be("say \"hi\" \\ \\n");
        record[1].Value.AsInt.Should().Be(5);
    }

    [Fact]
    public void Chars_keeps_a_slice_of_the_line_when_nothing_is_escaped()
    {
        var line = "abc def..".ToCharArray(); // the line is its first 7 chars
        var record = Compile("(chars, chars)").Match(line, 7).Record!;
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(record[1].Value.TextMemory, out var slice).Should().BeTrue();
        slice.Array.Should().BeSameAs(line);
        (slice.Offset, slice.Count).Should().Be((4, 3));
    }

    [Fact]
    public void Chars_fails_on_an_unterminated_quote() =>
        Match("(chars, digit)", "\"never closed 5").IsMatch.Should().BeFalse();

    [Fact]
    public void Ignore_consumes_a_token_and_is_left_out_of_the_record() =>
        Parsed("(_, digit, _\")", "skip 7 \"quoted skip\"").Describe().Should().Equal(("digit", ValueKind.Int, "7"));

    [Fact]
    public void Ignore_fails_when_there_is_nothing_left() =>
        Match("(digit, _)", "7").IsMatch.Should().BeFalse();

    [Theory]
    [InlineData("SN-1234-AB")]
    [InlineData("abc123")]
    public void Sn_accepts_letters_digits_and_dashes(string text) =>
        Parsed("(sn)", text)[0].Value.Should().Be(Value.String(text));

    [Fact]
    public void Sn_rejects_other_characters() => Match("(sn, chars)", "SN_12 x").IsMatch.Should().BeFalse();

    [Theory]
    [InlineData("192.168.1.2")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    [InlineData("2001:db8::8a2e:370:7334")]
    [InlineData("::ffff:10.0.0.1")]
    public void Ip_accepts_v4_and_v6(string text) =>
        Parsed("(ip)", text)[0].Value.Should().Be(Value.Ip(text));

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("abc")]
    [InlineData("12:34")]
    [InlineData("gggg::1")]
    public void Ip_rejects_invalid_addresses(string text) =>
        Match("(ip, chars)", text + " tail").IsMatch.Should().BeFalse();

    [Theory]
    [InlineData("2023-5-1 1:02:03", 2023, 5, 1, 1, 2, 3)]
    [InlineData("2023-05-01 10:02:03", 2023, 5, 1, 10, 2, 3)]
    [InlineData("2023-05-01T10:02:03Z", 2023, 5, 1, 10, 2, 3)]
    [InlineData("2023-05-01T10:02:03+08:00", 2023, 5, 1, 10, 2, 3)]
    [InlineData("2023-05-01T10:02:03-0530", 2023, 5, 1, 10, 2, 3)]
    [InlineData("06/Aug/2019:12:12:19", 2019, 8, 6, 12, 12, 19)]
    public void Time_accepts_all_three_forms_keeping_the_wall_clock(string text, int y, int mo, int d, int h, int mi, int s)
    {
        var record = Parsed("(time, digit)", text + " 9");
        record[0].Value.Kind.Should().Be(ValueKind.DateTime);
        record[0].Value.AsDateTime.Should().Be(new DateTime(y, mo, d, h, mi, s)); // the offset, if any, is kept beside it (WplTimeOffsetTests)
        record[1].Value.AsInt.Should().Be(9);
    }

    [Fact]
    public void Time_keeps_fractional_seconds() =>
        Parsed("(time)", "2023-05-01T10:02:03.250Z")[0].Value.AsDateTime.Should().Be(new DateTime(2023, 5, 1, 10, 2, 3, 250));

    [Theory]
    [InlineData("2023-13-01 10:00:00")]
    [InlineData("2023-02-30 10:00:00")]
    [InlineData("2023-01-01 24:00:00")]
    [InlineData("06/Foo/2019:12:12:19")]
    [InlineData("yesterday")]
    public void Time_rejects_invalid_dates(string text) =>
        Match("(time, chars)", text + " tail").IsMatch.Should().BeFalse();

    [Fact]
    public void Time_clf_reads_and_drops_the_offset() =>
        Parsed("(time/clf<[,]>, digit)", "[06/Aug/2019:12:12:19 +0800] 1").Describe().Should().Equal(
            ("time_clf", ValueKind.DateTime, "2019-08-06 12:12:19"), ("digit", ValueKind.Int, "1"));

    [Fact]
    public void Time_clf_unenclosed_consumes_its_offset() =>
        Parsed("(time/clf, digit)", "06/Aug/2019:12:12:19 -0130 1").Describe().Should().Equal(
            ("time_clf", ValueKind.DateTime, "2019-08-06 12:12:19"), ("digit", ValueKind.Int, "1"));

    [Fact]
    public void Time_clf_requires_the_offset() =>
        Match("(time/clf<[,]>)", "[06/Aug/2019:12:12:19]").IsMatch.Should().BeFalse();

    [Fact]
    public void Http_request_is_a_slice_when_spaced_normally() =>
        Parsed("(http/request\", digit)", "\"GET /a?b=1 HTTP/1.1\" 3")[0].Value.ToString().Should().Be("GET /a?b=1 HTTP/1.1");

    [Fact]
    public void Http_request_collapses_extra_inner_spaces() =>
        Parsed("(http/request<[,]>)", "[POST   /login \t HTTP/2.0]")[0].Value.Should().Be(Value.String("POST /login HTTP/2.0"));

    [Fact]
    public void Http_request_parses_unquoted_within_a_line() =>
        Parsed("(http/request, digit)", "GET / HTTP/1.0 200").Describe().Should().Equal(
            ("http_request", ValueKind.String, "GET / HTTP/1.0"), ("digit", ValueKind.Int, "200"));

    [Theory]
    [InlineData("\"get / HTTP/1.1\"")]
    [InlineData("\"GET / FTP/1.1\"")]
    [InlineData("\"GET HTTP/1.1\"")]
    [InlineData("\"GET / HTTP/1.1 extra\"")]
    public void Http_request_rejects_malformed_requests(string text) =>
        Match("(http/request\")", text).IsMatch.Should().BeFalse();

    [Theory]
    [InlineData("100", 100L)]
    [InlineData("200", 200L)]
    [InlineData("999", 999L)]
    public void Http_status_accepts_100_to_999(string text, long expected) =>
        Parsed("(http/status)", text).Describe().Should().Equal(("http_status", ValueKind.Int, expected.ToString()));

    [Theory]
    [InlineData("99")]
    [InlineData("099")]
    [InlineData("1000")]
    [InlineData("abc")]
    public void Http_status_rejects_values_out_of_bounds(string text) =>
        Match("(http/status, chars)", text + " tail").IsMatch.Should().BeFalse();

    [Fact]
    public void Http_agent_takes_the_rest_of_the_line_when_unquoted() =>
        Parsed("(digit, http/agent)", "1 Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0  ")
            [1].Value.ToString().Should().Be("Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0");

    [Fact]
    public void Http_agent_stops_at_the_closing_quote_when_quoted() =>
        Parsed("(http/agent\", digit)", "\"curl/8.4.0\" 5").Describe().Should().Equal(
            ("http_agent", ValueKind.String, "curl/8.4.0"), ("digit", ValueKind.Int, "5"));

    [Theory]
    [InlineData("\"-\"")]
    [InlineData("\"12345\"")]
    [InlineData("\"no product token\"")]
    public void Http_agent_rejects_text_without_a_product_token(string text) =>
        Match("(http/agent\")", text).IsMatch.Should().BeFalse();

    [Fact]
    public void Kv_accepts_equals_and_colon_and_names_the_field_after_the_key() =>
        Parsed("(kv, kv, kv)", "user=alice level:3 msg=\"hello world\"").Describe().Should().Equal(
            ("user", ValueKind.String, "alice"), ("level", ValueKind.String, "3"), ("msg", ValueKind.String, "hello world"));

    [Fact]
    public void Kv_decodes_escaped_quotes_in_a_quoted_value() =>
        Parsed("(kv, digit)", "msg=\"a \\\"b\\\" c\" 1").Describe().Should().Equal(
            ("msg", ValueKind.String, "a \"b\" c"), ("digit", ValueKind.Int, "1"));

    [Fact]
    public void Kv_with_an_explicit_name_uses_that_name() =>
        Parsed("(kv:who)", "user=bob").Describe().Should().Equal(("who", ValueKind.String, "bob"));

    [Fact]
    public void Kv_reuses_one_key_string_across_lines()
    {
        var rules = Compile("(kv)");
        var a = rules.Match("user=a").Record![0].Name;
        var b = rules.Match("user=b").Record![0].Name;
        b.Should().BeSameAs(a);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    public void Kv_rejects_text_without_a_key(string text) =>
        Match("(kv)", text).IsMatch.Should().BeFalse();

    [Fact]
    public void Kv_with_subfields_picks_typed_keys_and_renames_them() =>
        Parsed("(kv(digit@uid:user_id, ip@src, time@at))", "uid=42 other=x src=10.0.0.1 at=\"2023-05-01 10:00:00\"").Describe().Should().Equal(
            ("user_id", ValueKind.Int, "42"), ("src", ValueKind.Ip, "10.0.0.1"), ("at", ValueKind.DateTime, "2023-05-01 10:00:00"));

    [Fact]
    public void Kv_with_subfields_fails_when_a_value_is_not_its_type() =>
        Match("(kv(digit@uid))", "uid=abc").IsMatch.Should().BeFalse();

    [Fact]
    public void Kvarr_emits_every_pair_as_its_own_field_until_the_end_of_scope() =>
        Parsed("(digit, kvarr)", "7 a=1, b=\"two words\"; c:3 d=").Describe().Should().Equal(
            ("digit", ValueKind.Int, "7"), ("a", ValueKind.String, "1"), ("b", ValueKind.String, "two words"),
            ("c", ValueKind.String, "3"), ("d", ValueKind.String, string.Empty));

    [Fact]
    public void Kvarr_stops_at_text_that_is_not_a_pair() =>
        Parsed("(kvarr, digit)", "a=1 b=2 99").Describe().Should().Equal(
            ("a", ValueKind.String, "1"), ("b", ValueKind.String, "2"), ("digit", ValueKind.Int, "99"));

    [Fact]
    public void Kvarr_types_listed_keys() =>
        Parsed("(kvarr(digit@n))", "n=5 s=x").Describe().Should().Equal(("n", ValueKind.Int, "5"), ("s", ValueKind.String, "x"));

    [Fact]
    public void Kvarr_needs_at_least_one_pair() => Match("(kvarr)", "plain").IsMatch.Should().BeFalse();

    [Fact]
    public void Json_flattens_objects_and_arrays_with_types() =>
        Parsed("(digit, json)", "1 {\"a\":{\"b\":1,\"c\":[true,\"x\\ty\",2.5]},\"n\":null,\"s\":\"str\"}").Describe().Should().Equal(
            ("digit", ValueKind.Int, "1"), ("a/b", ValueKind.Int, "1"), ("a/c[0]", ValueKind.Bool, "true"),
            ("a/c[1]", ValueKind.String, "x\ty"), ("a/c[2]", ValueKind.Float, "2.5"), ("s", ValueKind.String, "str"));

    [Fact]
    public void Json_with_an_explicit_name_prefixes_paths() =>
        Parsed("(json:j)", "{\"a\": 1}").Describe().Should().Equal(("j/a", ValueKind.Int, "1"));

    [Fact]
    public void Json_subfields_convert_and_rename_leaves() =>
        Parsed("(json(ip@src:sip))", "{\"src\":\"10.1.1.1\",\"x\":2}").Describe().Should().Equal(
            ("sip", ValueKind.Ip, "10.1.1.1"), ("x", ValueKind.Int, "2"));

    [Theory]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\":1")]
    [InlineData("[1,2")]
    [InlineData("not json")]
    public void Json_rejects_malformed_documents(string text) => Match("(json)", text).IsMatch.Should().BeFalse();

    [Fact]
    public void Symbol_requires_its_literal_text() =>
        Parsed("(symbol(GET), digit)", "GET 5").Describe().Should().Equal(("symbol", ValueKind.String, "GET"), ("digit", ValueKind.Int, "5"));

    [Fact]
    public void Symbol_fails_on_other_text() => Match("(symbol(GET), digit)", "PUT 5").IsMatch.Should().BeFalse();

    [Fact]
    public void Repeat_count_parses_the_type_n_times() =>
        Parsed("(3*digit:n, chars)", "1 2 3 x").Describe().Should().Equal(
            ("n", ValueKind.Int, "1"), ("n", ValueKind.Int, "2"), ("n", ValueKind.Int, "3"), ("chars", ValueKind.String, "x"));

    [Fact]
    public void Repeat_count_fails_with_too_few_values() => Match("(3*digit)", "1 2").IsMatch.Should().BeFalse();

    [Fact]
    public void Enclosure_reads_the_value_between_begin_and_end() =>
        Parsed("(chars<{,}>, digit)", "{a b, c} 4").Describe().Should().Equal(("chars", ValueKind.String, "a b, c"), ("digit", ValueKind.Int, "4"));

    [Fact]
    public void Enclosure_fails_without_its_begin_or_end()
    {
        Match("(digit<[,]>)", "5]").IsMatch.Should().BeFalse();
        Match("(digit<[,]>)", "[5").IsMatch.Should().BeFalse();
    }

    [Fact]
    public void Quote_modifier_reads_the_value_inside_double_quotes() =>
        Parsed("(digit\", chars\")", "\"12\" \"a, b\"").Describe().Should().Equal(("digit", ValueKind.Int, "12"), ("chars", ValueKind.String, "a, b"));

    [Fact]
    public void Quote_modifier_fails_on_an_unquoted_value() => Match("(digit\")", "12").IsMatch.Should().BeFalse();

    [Fact]
    public void Field_separator_overrides_the_group_separator() =>
        Parsed("(digit\\|, chars, chars)\\,", "1|a b,c").Describe().Should().Equal(
            ("digit", ValueKind.Int, "1"), ("chars", ValueKind.String, "a b"), ("chars", ValueKind.String, "c"));

    [Fact]
    public void Group_separator_skips_blanks_after_the_comma() =>
        Parsed("(digit, digit, chars)\\,", "1, 23,   x y").Describe().Should().Equal(
            ("digit", ValueKind.Int, "1"), ("digit", ValueKind.Int, "23"), ("chars", ValueKind.String, "x y"));

    [Fact]
    public void Default_space_separator_tolerates_runs_of_spaces() =>
        Parsed("(digit, digit)", "1     2").Describe().Should().Equal(("digit", ValueKind.Int, "1"), ("digit", ValueKind.Int, "2"));

    [Fact]
    public void Missing_separator_before_another_field_fails_with_a_reason()
    {
        var match = Match("(digit\\,, digit)", "1;2");
        match.IsMatch.Should().BeFalse();
        match.MissReason.Should().Contain("field 1 'digit' expected separator '\\,' at column 2");
    }

    [Fact]
    public void Backslash_s_separates_by_space() =>
        Parsed("(chars\\s, chars)", "a b").Describe().Should().Equal(("chars", ValueKind.String, "a"), ("chars", ValueKind.String, "b"));

    [Fact]
    public void Backslash_t_separates_by_tab() =>
        Parsed("(chars, chars)\\t", "a b\tc d").Describe().Should().Equal(("chars", ValueKind.String, "a b"), ("chars", ValueKind.String, "c d"));

    [Fact]
    public void Backslash_capital_s_separates_by_space_or_tab() =>
        Parsed("(chars, chars, chars)\\S", "a\tb c").Describe().Should().Equal(
            ("chars", ValueKind.String, "a"), ("chars", ValueKind.String, "b"), ("chars", ValueKind.String, "c"));

    [Fact]
    public void Backslash_zero_takes_the_rest_of_the_line() =>
        Parsed("(digit, chars\\0)", "1 the rest, of it").Describe().Should().Equal(
            ("digit", ValueKind.Int, "1"), ("chars", ValueKind.String, "the rest, of it"));

    [Fact]
    public void Several_groups_each_use_their_own_separator() =>
        Parsed("(digit, digit)\\,, (chars, chars)\\|", "1,2 a|b").Describe().Should().Equal(
            ("digit", ValueKind.Int, "1"), ("digit", ValueKind.Int, "2"), ("chars", ValueKind.String, "a"), ("chars", ValueKind.String, "b"));

    [Fact]
    public void Bool_accepts_true_and_false() =>
        Parsed("(bool, bool)", "true FALSE").Describe().Should().Equal(("bool", ValueKind.Bool, "true"), ("bool", ValueKind.Bool, "false"));
}
