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
        return new DbCase("pg_main", "postgres_sink", $$"""
            endpoint = "{{_pg.Endpoint}}"
            database = "{{PostgresServer.Database}}"
            table = "{{table}}"
            username = "postgres"
            password = "${WP_TEST_PG_PASSWORD}"
            create_table = true
            {{extra}}
            """, test);
    }

    private static readonly Dictionary<string, string> Env = new() { ["WP_TEST_PG_PASSWORD"] = "not-needed-with-trust" };

    [Fact]
    public async Task Ten_thousand_lines_land_as_typed_rows()
    {
        using var c = Case("nginx_rows");
        c.WriteInput(10_000);

        var run = await ToolProcess.RunAsync("wparse", c.Root, ["batch", "--speed-limit", "0"], TimeSpan.FromMinutes(3), Env);

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
        run.StdOut.Should().NotContain("not-needed-with-trust");
        c.Log("wparse").Should().NotContain("not-needed-with-trust");
    }
}
