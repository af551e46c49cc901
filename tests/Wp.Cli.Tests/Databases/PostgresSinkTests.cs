using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>postgres_sink against a real PostgreSQL (issue 10, done means 1–3).</summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresSinkTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _pg;

    public PostgresSinkTests(PostgresServer pg)
    {
        _pg = pg;
        pg.EnsureStarted();
    }

    private DbCase Case(string table, string extra = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        _pg.Drop(table);
        var c = new DbCase("pg_main", "postgres_sink", $$"""
            endpoint = "{{_pg.Endpoint}}"
            database = "{{PostgresServer.Database}}"
            table = "{{table}}"
            username = "postgres"
            password = "${WP_TEST_PG_PASSWORD}"
            create_table = true
            {{extra}}
            """, test);
        c.Env["WP_TEST_PG_PASSWORD"] = Password;
        return c;
    }

    private const string Password = "not-needed-with-trust";

    [Fact]
    public async Task Ten_thousand_lines_land_as_typed_rows()
    {
        using var c = Case("nginx_rows");
        c.WriteInput(10_000);

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        _pg.Count("SELECT count(*) FROM nginx_rows").Should().Be(10_000);
        _pg.Count("SELECT count(DISTINCT digit) FROM nginx_rows").Should().Be(10_000);
        var types = _pg.ColumnTypes("nginx_rows");
        types["digit"].Should().Be("bigint");
        types["http_status"].Should().Be("bigint");
        types["time_clf"].Should().Be("timestamp with time zone");
        types["sip"].Should().Be("inet");
        types["http_request"].Should().Be("text");
        _pg.Scalar("SELECT host(sip) || '|' || http_status || '|' || http_request || '|' || to_char(time_clf AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM nginx_rows WHERE digit = 258")
            .Should().Be("10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
        run.StdOut.Should().NotContain(Password);
        c.Log("wparse").Should().NotContain(Password);
    }

    [Fact]
    public async Task A_server_stopped_and_started_mid_run_loses_nothing_and_wprescue_completes_the_table()
    {
        using var c = Case("nginx_outage");

        await OutageScenario.RunAsync(
            c,
            _pg,
            () => _pg.Count("SELECT count(*) FROM nginx_outage"),
            () => _pg.Count("SELECT count(DISTINCT digit) FROM nginx_outage"));
    }

    [Fact]
    public async Task Values_the_columns_refuse_go_to_the_error_group_with_the_message_and_the_rest_is_written()
    {
        using var c = Case("nginx_narrow", """columns = ["sip", "digit", "http_request"]""");
        c.Work.Edit("sink/business.d/example.toml", "create_table = true", "create_table = false");
        _pg.Execute("CREATE TABLE nginx_narrow (sip inet, digit integer, http_request varchar(30))");
        c.WriteInput(1000, i => i % 100 == 0 ? DbCase.Line(i).Replace("/item/", "/a-very-long-path-indeed/", StringComparison.Ordinal) : DbCase.Line(i));

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        _pg.Count("SELECT count(*) FROM nginx_narrow").Should().Be(990);
        var errors = c.Work.Lines("data/out_dat/error.dat");
        errors.Should().HaveCount(10);
        errors.Should().OnlyContain(l => l.Contains("sink pg_main rejected the record: table nginx_narrow: value too long for type character varying(30)", StringComparison.Ordinal));
        c.RescueFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Wproj_check_probe_reports_reachable_and_unreachable_sinks_without_the_password()
    {
        using var c = Case("nginx_probe");
        var up = await ToolProcess.RunAsync("wproj", c.Root, ["check", "--probe"], env: c.Env);
        c.Work.Edit("sink/business.d/example.toml", $"endpoint = \"{_pg.Endpoint}\"", "endpoint = \"127.0.0.1:1\"");
        var down = await ToolProcess.RunAsync("wproj", c.Root, ["check", "--probe"], env: c.Env);
        var plain = await ToolProcess.RunAsync("wproj", c.Root, ["check"], env: c.Env);

        up.ExitCode.Should().Be(0, up.ToString());
        up.StdOut.Should().MatchRegex(@"probe sink pg_main\s+ok\s+reachable: postgres 127\.0\.0\.1:\d+/wp\.nginx_probe");
        down.ExitCode.Should().Be(4, down.ToString());
        down.StdOut.Should().MatchRegex(@"probe sink pg_main\s+FAIL\s+unreachable: postgres 127\.0\.0\.1:1/wp\.nginx_probe");
        plain.ExitCode.Should().Be(0, "without --probe nothing connects");
        foreach (var run in new[] { up, down, plain })
        {
            (run.StdOut + run.StdErr).Should().NotContain(Password);
        }
    }
}
