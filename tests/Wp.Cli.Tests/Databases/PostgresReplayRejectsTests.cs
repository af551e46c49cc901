using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// wprescue has no error group: rows the table refuses during a replay are kept as a rescue file in
/// <c>rescue_root/rejected/</c>, and replayed once moved back (the command docs/configuration.md shows).
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresReplayRejectsTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _pg;

    public PostgresReplayRejectsTests(PostgresServer pg)
    {
        _pg = pg;
        pg.EnsureStarted();
    }

    [Fact]
    public async Task Rows_the_table_refuses_in_a_replay_are_kept_in_rejected_and_replayed_once_moved_back()
    {
        const string Table = "nginx_replay_rejects";
        _pg.Drop(Table);
        _pg.Execute($"CREATE TABLE {Table} (sip inet, digit integer, http_request varchar(30))");
        using var c = new DbCase("pg_nginx", "postgres_sink", $$"""
            endpoint = "127.0.0.1:1"
            database = "{{PostgresServer.Database}}"
            table = "{{Table}}"
            username = "postgres"
            columns = ["sip", "digit", "http_request"]
            """);
        c.WriteInput(200, i => i % 20 == 0 ? DbCase.Line(i).Replace("/item/", "/a-very-long-path-indeed/", StringComparison.Ordinal) : DbCase.Line(i));

        var parse = await c.Wparse("--speed-limit", "0");
        c.Work.Edit("sink/business.d/example.toml", "endpoint = \"127.0.0.1:1\"", $"endpoint = \"{_pg.Endpoint}\"");
        var replay = await c.Wprescue();

        parse.ExitCode.Should().Be(0, parse.ToString());
        replay.ExitCode.Should().Be(0, replay.ToString());
        _pg.Count($"SELECT count(*) FROM {Table}").Should().Be(190);
        c.RescueFiles().Should().BeEmpty("every rescue file was replayed");
        var rejected = Directory.GetFiles(c.Work.PathOf("data/rescue/rejected"), "pg_nginx-*.dat");
        rejected.Sum(f => File.ReadAllLines(f).Length).Should().Be(10);
        c.Log("wprescue").Should().Contain("are kept in");

        _pg.Execute($"ALTER TABLE {Table} ALTER COLUMN http_request TYPE varchar(100)");
        var env = new Dictionary<string, string>(c.Env) { ["PATH"] = $"{RepoPaths.Bin}:{Environment.GetEnvironmentVariable("PATH")}" };
        var moved = await ToolProcess.RunAsync("/bin/sh", c.Root, ["-c", "mv data/rescue/rejected/pg_nginx-*.dat data/rescue/ && wprescue batch"], env: env);

        moved.ExitCode.Should().Be(0, moved.ToString());
        _pg.Count($"SELECT count(*) FROM {Table}").Should().Be(200);
        _pg.Count($"SELECT count(DISTINCT digit) FROM {Table}").Should().Be(200);
        Directory.GetFiles(c.Work.PathOf("data/rescue/rejected")).Should().BeEmpty();
    }
}
