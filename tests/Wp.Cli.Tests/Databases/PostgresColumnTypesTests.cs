using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// postgres_sink encodes each column type's binary COPY form itself: a real server must take every
/// one of them into an existing table and give back the values the log lines hold.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresColumnTypesTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _pg;

    public PostgresColumnTypesTests(PostgresServer pg)
    {
        _pg = pg;
        pg.EnsureStarted();
    }

    [Theory]
    [InlineData("pg_types_a", "numeric", "timestamp", "text", "varchar(40)")]
    [InlineData("pg_types_b", "real", "timestamptz", "inet", "character(30)")]
    [InlineData("pg_types_c", "double precision", "timestamptz", "inet", "text")]
    [InlineData("pg_types_d", "integer", "timestamp", "varchar(15)", "text")]
    public async Task Every_column_type_of_an_existing_table_takes_the_values_as_written(string table, string digit, string time, string ip, string text)
    {
        _pg.Drop(table);
        _pg.Execute($"CREATE TABLE {table} (sip {ip}, time_clf {time}, http_status smallint, digit {digit}, http_request {text})");
        using var c = new DbCase("pg_types", "postgres_sink", $$"""
            endpoint = "{{_pg.Endpoint}}"
            database = "{{PostgresServer.Database}}"
            table = "{{table}}"
            username = "postgres"
            columns = ["sip", "time_clf", "http_status", "digit", "http_request"]
            """, table);
        c.WriteInput(300);

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        c.Work.Lines("data/out_dat/error.dat").Should().BeEmpty();
        _pg.Count($"SELECT count(*) FROM {table}").Should().Be(300);
        _pg.Count($"SELECT sum(digit)::bigint FROM {table}").Should().Be(300 * 301 / 2);
        _pg.Scalar($"SELECT host(sip::inet) || '|' || http_status || '|' || trim(http_request) || '|' || to_char(time_clf{(time == "timestamptz" ? " AT TIME ZONE 'UTC'" : "")}, 'YYYY-MM-DD HH24:MI:SS') FROM {table} WHERE digit = 258")
            .Should().Be("10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
    }
}
