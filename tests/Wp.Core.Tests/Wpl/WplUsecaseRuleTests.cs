using Wp.Core.Records;
using Wp.Core.Wpl;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Wpl;

/// <summary>The rules of the sink_recovery usecase (SPEC §14) against realistic sample lines.</summary>
public class WplUsecaseRuleTests
{
    private const string BenchmarkWpl = """
        // benchmark rules of the sink_recovery usecase
        package /sys {
          rule benchmark_1 {
            (digit:id, digit:len, time, sn, chars:dev-name, time, kv, sn, chars:dev-name, time, time, ip, kv, chars, kv, kv, chars, kv, kv, chars, chars, ip, chars, http/request<[,]>, http/agent")\,
          }
          /* second rule */
          rule benchmark_2 {
            (ip:src-ip, digit:port, chars:dev-name, ip:dst-ip, digit:port, time", kv, kv, sn, kv, ip, kv, chars, kv, sn, kv, kv, time, chars, time, sn, kv, chars, chars, ip, chars, http/request", http/agent")\,
          }
        }
        """;

    private const string NginxWpl = """
        package /example {
          rule nginx {
            (ip:sip, 2*_, time/clf<[,]>, http/request", http/status, digit, chars", http/agent", _")
          }
        }
        """;

    private const string NginxLine =
        "192.168.1.2 - - [06/Aug/2019:12:12:19 +0800] \"GET /nginx-logo.png HTTP/1.1\" 200 368 \"http://119.122.1.4/\" " +
        "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.142 Safari/537.36\" \"-\"";

    private const string Chrome75 =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.142 Safari/537.36";

    private static readonly WplRuleSet Rules = WplRuleSet.Parse([("models/wpl/benchmark/parse.wpl", BenchmarkWpl), ("models/wpl/example/parse.wpl", NginxWpl)]);

    [Fact]
    public void Rule_paths_join_package_and_rule_names_in_load_order() =>
        Rules.Rules.Select(r => r.Path).Should().Equal("/sys/benchmark_1", "/sys/benchmark_2", "/example/nginx");

    [Fact]
    public void Rules_keep_their_ast_for_the_generator()
    {
        var nginx = Rules.Rules[2];
        nginx.File.Should().Be("models/wpl/example/parse.wpl");
        nginx.Line.Should().Be(2);
        var fields = nginx.Groups.Should().ContainSingle().Subject.Fields;
        fields.Select(f => f.TypeName).Should().Equal("ip", "_", "time/clf", "http/request", "http/status", "digit", "chars", "http/agent", "_");
        fields[1].Count.Should().Be(2);
        fields[2].Begin.Should().Be("[");
        fields[2].End.Should().Be("]");
        fields[3].Begin.Should().Be("\"");
        fields[0].EffectiveName.Should().Be("sip");
        fields[2].EffectiveName.Should().Be("time_clf");
    }

    [Fact]
    public void Benchmark_1_parses_its_sample_line()
    {
        const string line =
            "1, 23, 2023-05-01 10:00:00, SN-20230501-0001, fw-edge-01, 2023-5-1 1:00:01, proto=tcp, DEV-77, core-sw-02, " +
            "2023-05-01 10:00:02, 2023-05-01T10:00:03Z, 10.0.0.1, action=allow, inbound, user=alice, zone:dmz, session-open, " +
            "bytes=1024, policy=\"allow, web\", eth0, vlan-12, 172.16.0.9, cn-north, [GET /index.html?id=7 HTTP/1.1], " +
            "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"";

        var match = Rules.Match(line);

        match.MissReason.Should().BeNull();
        match.Rule!.Path.Should().Be("/sys/benchmark_1");
        match.Residue.Should().BeNull();
        Describe(match.Record!).Should().Equal(
            ("id", ValueKind.Int, "1"),
            ("len", ValueKind.Int, "23"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:00"),
            ("sn", ValueKind.String, "SN-20230501-0001"),
            ("dev-name", ValueKind.String, "fw-edge-01"),
            ("time", ValueKind.DateTime, "2023-05-01 01:00:01"),
            ("proto", ValueKind.String, "tcp"),
            ("sn", ValueKind.String, "DEV-77"),
            ("dev-name", ValueKind.String, "core-sw-02"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:02"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:03"),
            ("ip", ValueKind.Ip, "10.0.0.1"),
            ("action", ValueKind.String, "allow"),
            ("chars", ValueKind.String, "inbound"),
            ("user", ValueKind.String, "alice"),
            ("zone", ValueKind.String, "dmz"),
            ("chars", ValueKind.String, "session-open"),
            ("bytes", ValueKind.String, "1024"),
            ("policy", ValueKind.String, "allow, web"),
            ("chars", ValueKind.String, "eth0"),
            ("chars", ValueKind.String, "vlan-12"),
            ("ip", ValueKind.Ip, "172.16.0.9"),
            ("chars", ValueKind.String, "cn-north"),
            ("http_request", ValueKind.String, "GET /index.html?id=7 HTTP/1.1"),
            ("http_agent", ValueKind.String, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"));
    }

    [Fact]
    public void Benchmark_2_parses_its_sample_line()
    {
        const string line =
            "192.168.10.5, 51514, fw-core-01, 10.20.30.40, 443, \"2023-05-01 10:00:00\", proto=tcp, action=deny, SN-0002, " +
            "rule_id=1001, 8.8.8.8, country=US, outbound, app:https, AB-12, severity=high, bytes=2048, 2023-05-01T10:00:05+08:00, " +
            "blocked, 1/May/2023:10:00:06, DEV-9, user=\"bob smith\", eth1, wan, 2001:db8::1, edge, " +
            "\"POST /api/v1/login HTTP/1.1\", \"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\"";

        var match = Rules.Match(line);

        match.MissReason.Should().BeNull();
        match.Rule!.Path.Should().Be("/sys/benchmark_2");
        Describe(match.Record!).Should().Equal(
            ("src-ip", ValueKind.Ip, "192.168.10.5"),
            ("port", ValueKind.Int, "51514"),
            ("dev-name", ValueKind.String, "fw-core-01"),
            ("dst-ip", ValueKind.Ip, "10.20.30.40"),
            ("port", ValueKind.Int, "443"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:00"),
            ("proto", ValueKind.String, "tcp"),
            ("action", ValueKind.String, "deny"),
            ("sn", ValueKind.String, "SN-0002"),
            ("rule_id", ValueKind.String, "1001"),
            ("ip", ValueKind.Ip, "8.8.8.8"),
            ("country", ValueKind.String, "US"),
            ("chars", ValueKind.String, "outbound"),
            ("app", ValueKind.String, "https"),
            ("sn", ValueKind.String, "AB-12"),
            ("severity", ValueKind.String, "high"),
            ("bytes", ValueKind.String, "2048"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:05"),
            ("chars", ValueKind.String, "blocked"),
            ("time", ValueKind.DateTime, "2023-05-01 10:00:06"),
            ("sn", ValueKind.String, "DEV-9"),
            ("user", ValueKind.String, "bob smith"),
            ("chars", ValueKind.String, "eth1"),
            ("chars", ValueKind.String, "wan"),
            ("ip", ValueKind.Ip, "2001:db8::1"),
            ("chars", ValueKind.String, "edge"),
            ("http_request", ValueKind.String, "POST /api/v1/login HTTP/1.1"),
            ("http_agent", ValueKind.String, "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"));
    }

    [Fact]
    public void Nginx_parses_a_combined_log_line()
    {
        var match = Rules.Match(NginxLine);

        match.MissReason.Should().BeNull();
        match.Rule!.Path.Should().Be("/example/nginx");
        match.Residue.Should().BeNull();
        Describe(match.Record!).Should().Equal(
            ("sip", ValueKind.Ip, "192.168.1.2"),
            ("time_clf", ValueKind.DateTime, "2019-08-06 12:12:19"),
            ("http_request", ValueKind.String, "GET /nginx-logo.png HTTP/1.1"),
            ("http_status", ValueKind.Int, "200"),
            ("digit", ValueKind.Int, "368"),
            ("chars", ValueKind.String, "http://119.122.1.4/"),
            ("http_agent", ValueKind.String, Chrome75));
        match.Record![1].Value.AsDateTime.Should().Be(new DateTime(2019, 8, 6, 12, 12, 19));
    }

    [Fact]
    public void Nginx_variant_with_quoted_chars_parses_the_same_line()
    {
        var rules = WplRuleSet.Parse([("parse.wpl", """
            package /example {
              rule nginx { (ip, 2*_, time/clf<[,]>, http/request", http/status, digit, chars", chars", chars") }
            }
            """)]);

        var match = rules.Match(NginxLine);

        match.MissReason.Should().BeNull();
        Describe(match.Record!).Should().Equal(
            ("ip", ValueKind.Ip, "192.168.1.2"),
            ("time_clf", ValueKind.DateTime, "2019-08-06 12:12:19"),
            ("http_request", ValueKind.String, "GET /nginx-logo.png HTTP/1.1"),
            ("http_status", ValueKind.Int, "200"),
            ("digit", ValueKind.Int, "368"),
            ("chars", ValueKind.String, "http://119.122.1.4/"),
            ("chars", ValueKind.String, Chrome75),
            ("chars", ValueKind.String, "-"));
    }

    [Fact]
    public void Nginx_line_with_a_short_trailing_extra_is_accepted_with_residue()
    {
        var match = Rules.Match(NginxLine + " rt=0.003 ");

        match.Rule!.Path.Should().Be("/example/nginx");
        match.Residue.Should().Be("rt=0.003");
        match.Record!.Count.Should().Be(7);
        match.Record.Find("wp_src_key").Should().BeNull();
    }

    [Fact]
    public void Nginx_line_with_a_bad_status_misses_with_the_closest_rule_reason()
    {
        var match = Rules.Match(NginxLine.Replace(" 200 ", " 2x0 ", StringComparison.Ordinal));

        match.IsMatch.Should().BeFalse();
        match.Record.Should().BeNull();
        match.MissReason.Should().Be("closest /example/nginx: field 6 'http_status' expected http/status at column 77");
    }

    private static (string, ValueKind, string)[] Describe(Record record) =>
        record.Fields.Select(f => (f.Name, f.Value.Kind, f.Value.ToString())).ToArray();
}
