using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>postgres_sink against a real PostgreSQL (issue 10, done means 1–3); the shared facts are in <see cref="DbSinkTests{TServer}"/>.</summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresSinkTests(PostgresServer db) : DbSinkTests<PostgresServer>(db, "pg_main", "postgres_sink")
{
    private const string Password = "not-needed-with-trust";

    protected override string ConnectionParams => $$"""
        endpoint = "{{Db.Endpoint}}"
        database = "{{PostgresServer.Database}}"
        username = "postgres"
        password = "${WP_TEST_PG_PASSWORD}"
        """;

    protected override string TooLongMessage => "value too long for type character varying(30)";

    protected override long Rows(string table) => Db.Count($"SELECT count(*) FROM {table}");

    protected override long DistinctDigits(string table) => Db.Count($"SELECT count(DISTINCT digit) FROM {table}");

    protected override void CreateNarrowTable(string table) => Db.Execute($"CREATE TABLE {table} (sip inet, digit integer, http_request varchar(30))");

    /// <summary>The password comes from the environment, so the tests can check it is never printed or logged.</summary>
    private protected override DbCase Case(string table, string extra = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var c = base.Case(table, extra, test);
        c.Env["WP_TEST_PG_PASSWORD"] = Password;
        return c;
    }

    [Fact]
    public async Task Ten_thousand_lines_land_as_typed_rows()
    {
        using var c = Case("nginx_rows");
        c.WriteInput(10_000);

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        Rows("nginx_rows").Should().Be(10_000);
        DistinctDigits("nginx_rows").Should().Be(10_000);
        var types = Db.ColumnTypes("nginx_rows");
        types["digit"].Should().Be("bigint");
        types["http_status"].Should().Be("bigint");
        types["time_clf"].Should().Be("timestamp with time zone");
        types["sip"].Should().Be("inet");
        types["http_request"].Should().Be("text");
        Db.Scalar("SELECT host(sip) || '|' || http_status || '|' || http_request || '|' || to_char(time_clf AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM nginx_rows WHERE digit = 258")
            .Should().Be("10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
        run.StdOut.Should().NotContain(Password);
        c.Log("wparse").Should().NotContain(Password);
    }

    [Fact]
    public async Task Wproj_check_probe_reports_reachable_and_unreachable_sinks_without_the_password()
    {
        using var c = Case("nginx_probe");
        var up = await ToolProcess.RunAsync("wproj", c.Root, ["check", "--probe"], env: c.Env);
        c.Work.Edit("sink/business.d/example.toml", $"endpoint = \"{Db.Endpoint}\"", "endpoint = \"127.0.0.1:1\"");
        var down = await ToolProcess.RunAsync("wproj", c.Root, ["check", "--probe"], env: c.Env);
        var plain = await ToolProcess.RunAsync("wproj", c.Root, ["check"], env: c.Env);

        up.ExitCode.Should().Be(0, up.ToString());
        Flat(up.StdOut).Should().MatchRegex(@"probe sink pg_main ok reachable: postgres 127\.0\.0\.1:\d+/wp\.nginx_probe");
        down.ExitCode.Should().Be(4, down.ToString());
        Flat(down.StdOut).Should().MatchRegex(@"probe sink pg_main FAIL unreachable: postgres 127\.0\.0\.1:1/wp\.nginx_probe");
        plain.ExitCode.Should().Be(0, "without --probe nothing connects");
        foreach (var run in new[] { up, down, plain })
        {
            (run.StdOut + run.StdErr).Should().NotContain(Password);
        }
    }

    // The check table wraps long details onto the next line: compare with whitespace collapsed.
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
