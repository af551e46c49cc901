using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>mysql_sink against a real MariaDB (issue 10, done means 1–3); the shared facts are in <see cref="DbSinkTests{TServer}"/>.</summary>
[Collection(E2eCollection.Name)]
public sealed class MariaDbSinkTests(MariaDbServer db) : DbSinkTests<MariaDbServer>(db, "mysql_main", "mysql_sink")
{
    protected override string ConnectionParams => $"""
        endpoint = "{Db.Endpoint}"
        database = "{MariaDbServer.Database}"
        username = "root"
        """;

    protected override string TooLongMessage => "Data too long for column 'http_request'";

    protected override long Rows(string table) => Db.Count($"SELECT count(*) FROM {table}");

    protected override long DistinctDigits(string table) => Db.Count($"SELECT count(DISTINCT digit) FROM {table}");

    protected override void CreateNarrowTable(string table) =>
        Db.Execute($"CREATE TABLE {table} (sip VARCHAR(45), digit INT, http_request VARCHAR(30)) ENGINE = InnoDB");

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
        types["time_clf"].Should().Be("datetime");
        types["sip"].Should().Be("inet6");
        types["http_request"].Should().Be("text");
        Db.Scalar("SELECT CONCAT(sip, '|', http_status, '|', http_request, '|', DATE_FORMAT(time_clf, '%Y-%m-%d %H:%i:%s')) FROM nginx_rows WHERE digit = 258")
            .Should().Be("::ffff:10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
    }
}
