using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>clickhouse_sink against a real ClickHouse 18.16 (issue 10, done means 1–3).</summary>
[Collection(E2eCollection.Name)]
public sealed class ClickHouseSinkTests : IClassFixture<ClickHouseServer>
{
    private readonly ClickHouseServer _db;

    public ClickHouseSinkTests(ClickHouseServer db)
    {
        _db = db;
        db.EnsureStarted();
    }

    private DbCase Case(string table, string extra = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        _db.Drop(table);
        return new DbCase("ch_main", "clickhouse_sink", $$"""
            endpoint = "{{_db.Endpoint}}"
            database = "{{ClickHouseServer.Database}}"
            table = "{{table}}"
            create_table = true
            {{extra}}
            """, test);
    }

    private long Count(string sql) => _db.Count(sql + " FORMAT TabSeparated");

    [Fact]
    public async Task Ten_thousand_lines_land_as_typed_rows()
    {
        using var c = Case("nginx_rows");
        c.WriteInput(10_000);

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        Count("SELECT count() FROM wp.nginx_rows").Should().Be(10_000);
        Count("SELECT uniqExact(digit) FROM wp.nginx_rows").Should().Be(10_000);
        var types = _db.ColumnTypes("nginx_rows");
        types["digit"].Should().Be("Nullable(Int64)");
        types["http_status"].Should().Be("Nullable(Int64)");
        types["time_clf"].Should().Be("Nullable(DateTime('UTC'))");
        types["sip"].Should().Be("Nullable(String)", "Debian's ClickHouse 18.16 has no IPv4 type");
        _db.Query("SELECT concat(sip, '|', toString(http_status), '|', http_request, '|', toString(time_clf)) FROM wp.nginx_rows WHERE digit = 258 FORMAT TabSeparated")
            .Trim().Should().Be("10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
    }

    [Fact]
    public async Task A_server_killed_and_started_mid_run_loses_nothing_and_wprescue_completes_the_table()
    {
        using var c = Case("nginx_outage");

        await OutageScenario.RunAsync(
            c,
            _db,
            () => Count("SELECT count() FROM wp.nginx_outage"),
            () => Count("SELECT uniqExact(digit) FROM wp.nginx_outage"));
    }

    [Fact]
    public async Task Values_the_columns_refuse_go_to_the_error_group_with_the_message_and_the_rest_is_written()
    {
        using var c = Case("nginx_narrow", """columns = ["sip", "digit", "http_request"]""");
        c.Work.Edit("sink/business.d/example.toml", "create_table = true", "create_table = false");
        _db.Query("CREATE TABLE wp.nginx_narrow (sip String, digit Int64, http_request FixedString(30)) ENGINE = MergeTree ORDER BY digit");
        c.WriteInput(1000, i => i % 100 == 0 ? DbCase.Line(i).Replace("/item/", "/a-very-long-path-indeed/", StringComparison.Ordinal) : DbCase.Line(i));

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        Count("SELECT count() FROM wp.nginx_narrow").Should().Be(990);
        var errors = c.Work.Lines("data/out_dat/error.dat");
        errors.Should().HaveCount(10);
        errors.Should().OnlyContain(l => l.Contains("sink ch_main rejected the record: table nginx_narrow: Code: 131", StringComparison.Ordinal));
        c.RescueFiles().Should().BeEmpty();
    }
}
