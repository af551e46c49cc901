using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// What every database sink must do (issue 10, done means 1–3), written once: each database's class
/// gives the sink's connection params, how to count rows, a table with a column too narrow for some
/// values, and the message that database gives for them. xUnit runs these facts once per derived class,
/// against that class's server (a class fixture, started once for its tests).
/// </summary>
public abstract class DbSinkTests<TServer> : IClassFixture<TServer>
    where TServer : DbServer
{
    protected DbSinkTests(TServer db, string sinkName, string connect)
    {
        Db = db;
        SinkName = sinkName;
        Connect = connect;
        db.EnsureStarted();
    }

    protected TServer Db { get; }

    protected string SinkName { get; }

    protected string Connect { get; }

    /// <summary>The sink's params besides <c>table</c> and <c>create_table</c>: endpoint, database, credentials.</summary>
    protected abstract string ConnectionParams { get; }

    /// <summary>Rows of <paramref name="table"/>.</summary>
    protected abstract long Rows(string table);

    /// <summary>Distinct values of column <c>digit</c> (the line number, so duplicates show).</summary>
    protected abstract long DistinctDigits(string table);

    /// <summary>Creates <paramref name="table"/> (sip, digit, http_request of at most 30 characters).</summary>
    protected abstract void CreateNarrowTable(string table);

    /// <summary>What the error group's records say for a value too long for <c>http_request</c>, after "table nginx_narrow: ".</summary>
    protected abstract string TooLongMessage { get; }

    /// <summary>A case whose <c>example</c> group writes to this database's sink into a fresh <paramref name="table"/>.</summary>
    private protected virtual DbCase Case(string table, string extra = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        Db.Drop(table);
        return new DbCase(SinkName, Connect, $$"""
            {{ConnectionParams}}
            table = "{{table}}"
            create_table = true
            {{extra}}
            """, test);
    }

    [Fact]
    public async Task A_server_down_mid_run_loses_nothing_and_wprescue_completes_the_table()
    {
        using var c = Case("nginx_outage");

        await OutageScenario.RunAsync(c, Db, () => Rows("nginx_outage"), () => DistinctDigits("nginx_outage"));
    }

    [Fact]
    public async Task Values_the_columns_refuse_go_to_the_error_group_with_the_message_and_the_rest_is_written()
    {
        using var c = Case("nginx_narrow", """columns = ["sip", "digit", "http_request"]""");
        c.Work.Edit("sink/business.d/example.toml", "create_table = true", "create_table = false");
        CreateNarrowTable("nginx_narrow");
        c.WriteInput(1000, i => i % 100 == 0 ? DbCase.Line(i).Replace("/item/", "/a-very-long-path-indeed/", StringComparison.Ordinal) : DbCase.Line(i));

        var run = await c.Wparse("--speed-limit", "0");

        run.ExitCode.Should().Be(0, run.ToString());
        Rows("nginx_narrow").Should().Be(990);
        var errors = c.Work.Lines("data/out_dat/error.dat");
        errors.Should().HaveCount(10);
        errors.Should().OnlyContain(l => l.Contains($"sink {SinkName} rejected the record: table nginx_narrow: {TooLongMessage}", StringComparison.Ordinal));
        c.RescueFiles().Should().BeEmpty();
    }
}
