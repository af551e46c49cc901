using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>mysql_sink against a real MariaDB (issue 10, done means 1–3).</summary>
[Collection(E2eCollection.Name)]
public sealed class MariaDbSinkTests : IClassFixture<MariaDbServer>
{
    private readonly MariaDbServer _db;

    public MariaDbSinkTests(MariaDbServer db)
    {
        _db = db;
        db.EnsureStarted();
    }

    private DbCase Case(string table, string extra = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        _db.Drop(table);
        return new DbCase("mysql_main", "mysql_sink", $$"""
            endpoint = "{{_db.Endpoint}}"
            database = "{{MariaDbServer.Database}}"
            table = "{{table}}"
            username = "root"
            create_table = true
            {{extra}}
            """, test);
    }

    [Fact]
    public async Task Ten_thousand_lines_land_as_typed_rows()
    {
        using var c = Case("nginx_rows");
        c.WriteInput(10_000);

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        _db.Count("SELECT count(*) FROM nginx_rows").Should().Be(10_000);
        _db.Count("SELECT count(DISTINCT digit) FROM nginx_rows").Should().Be(10_000);
        var types = _db.ColumnTypes("nginx_rows");
        types["digit"].Should().Be("bigint");
        types["http_status"].Should().Be("bigint");
        types["time_clf"].Should().Be("datetime");
        types["sip"].Should().Be("inet6");
        types["http_request"].Should().Be("text");
        _db.Scalar("SELECT CONCAT(sip, '|', http_status, '|', http_request, '|', DATE_FORMAT(time_clf, '%Y-%m-%d %H:%i:%s')) FROM nginx_rows WHERE digit = 258")
            .Should().Be("::ffff:10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
    }

    [Fact]
    public async Task A_server_killed_and_started_mid_run_loses_nothing_and_wprescue_completes_the_table()
    {
        using var c = Case("nginx_outage");

        await OutageScenario.RunAsync(
            c,
            _db,
            () => _db.Count("SELECT count(*) FROM nginx_outage"),
            () => _db.Count("SELECT count(DISTINCT digit) FROM nginx_outage"));
    }

    [Fact]
    public async Task Values_the_columns_refuse_go_to_the_error_group_with_the_message_and_the_rest_is_written()
    {
        using var c = Case("nginx_narrow", """columns = ["sip", "digit", "http_request"]""");
        c.Work.Edit("sink/business.d/example.toml", "create_table = true", "create_table = false");
        _db.Execute("CREATE TABLE nginx_narrow (sip VARCHAR(45), digit INT, http_request VARCHAR(30)) ENGINE = InnoDB");
        c.WriteInput(1000, i => i % 100 == 0 ? DbCase.Line(i).Replace("/item/", "/a-very-long-path-indeed/", StringComparison.Ordinal) : DbCase.Line(i));

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        _db.Count("SELECT count(*) FROM nginx_narrow").Should().Be(990);
        var errors = c.Work.Lines("data/out_dat/error.dat");
        errors.Should().HaveCount(10);
        errors.Should().OnlyContain(l => l.Contains("sink mysql_main rejected the record: table nginx_narrow: Data too long for column 'http_request'", StringComparison.Ordinal));
        c.RescueFiles().Should().BeEmpty();
    }
}
