using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>clickhouse_sink against a real ClickHouse 18.16 (issue 10, done means 1–3); the shared facts are in <see cref="DbSinkTests{TServer}"/>.</summary>
[Collection(E2eCollection.Name)]
public sealed class ClickHouseSinkTests(ClickHouseServer db) : DbSinkTests<ClickHouseServer>(db, "ch_main", "clickhouse_sink")
{
    protected override string ConnectionParams => $"""
        endpoint = "{Db.Endpoint}"
        database = "{ClickHouseServer.Database}"
        """;

    protected override string TooLongMessage => "Code: 131";

    protected override long Rows(string table) => Count($"SELECT count() FROM wp.{table}");

    protected override long DistinctDigits(string table) => Count($"SELECT uniqExact(digit) FROM wp.{table}");

    protected override void CreateNarrowTable(string table) =>
        Db.Query($"CREATE TABLE wp.{table} (sip String, digit Int64, http_request FixedString(30)) ENGINE = MergeTree ORDER BY digit");

    private long Count(string sql) => Db.Count(sql + " FORMAT TabSeparated");

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
        types["digit"].Should().Be("Nullable(Int64)");
        types["http_status"].Should().Be("Nullable(Int64)");
        types["time_clf"].Should().Be("Nullable(DateTime('UTC'))");
        types["sip"].Should().Be("Nullable(String)", "Debian's ClickHouse 18.16 has no IPv4 type");
        Db.Query("SELECT concat(sip, '|', toString(http_status), '|', http_request, '|', toString(time_clf)) FROM wp.nginx_rows WHERE digit = 258 FORMAT TabSeparated")
            .Trim().Should().Be("10.0.1.2|200|GET /item/258 HTTP/1.1|2019-08-06 04:12:19");
    }

    [Fact]
    public async Task Wparse_killed_in_the_middle_of_a_statement_leaves_none_of_it_and_a_restart_stores_every_line_once()
    {
        // The statement is sent while the batch fills and never ends here: the server must store
        // none of it (its gzip body has no trailer), and the restart, which finds nothing of the
        // input acknowledged, stores every line exactly once. (ClickHouseStreamedInsertTests pins
        // the framing itself: with plain text the server stores a broken body's whole rows.)
        using var c = Case("nginx_killed");
        c.Work.Edit("sink/business.d/example.toml", "oml  = [\"example\"]", "oml  = [\"example\"]\nbatch_size = 100000\nbatch_timeout_ms = 600000");
        c.SetSpeedLimit(2000);
        c.WriteInput(20_000);

        using (var run = ToolProcess.Start("wparse", c.Root, ["daemon"], c.Env))
        {
            await Eventually.Async(() => Db.InsertRunning("nginx_killed"), run, TimeSpan.FromSeconds(60));
            await Task.Delay(1000); // ~2,000 more lines streamed into it
            run.Signal(ToolProcess.SigKill);
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        for (var i = 0; i < 300 && Db.InsertRunning("nginx_killed"); i++)
        {
            await Task.Delay(100); // the server is done with the broken request
        }

        Rows("nginx_killed").Should().Be(0, "a statement without its end stores nothing");

        var restart = await c.Wparse("--speed-limit", "0");

        restart.ExitCode.Should().Be(0, restart.ToString());
        Rows("nginx_killed").Should().Be(20_000);
        DistinctDigits("nginx_killed").Should().Be(20_000);
    }
}
