using Wp.Cli.Tests.Support;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Postgres;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// postgres_sink sends a batch's COPY while the batch fills and ends it at the flush: against a real
/// PostgreSQL, a flushed COPY stores every row, one that breaks off first stores none, and rows the
/// server refuses are isolated at the flush while the rest are stored.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresStreamedCopyTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _pg;

    public PostgresStreamedCopyTests(PostgresServer pg)
    {
        _pg = pg;
        pg.EnsureStarted();
    }

    [Fact]
    public async Task A_copy_written_in_several_writes_is_stored_at_the_flush_and_not_before()
    {
        await using var backend = Backend("pg_stream_flush");

        await backend.WriteAsync(Rows(0, 1500), default);
        await backend.WriteAsync(Rows(1500, 1500), default);
        await backend.WriteAsync(Rows(3000, 1000), default);
        Count("pg_stream_flush").Should().Be(0, "nothing is stored before the statement ends");
        await backend.FlushAsync(default);

        Count("pg_stream_flush").Should().Be(4000);
        _pg.Count("SELECT count(DISTINCT n) FROM pg_stream_flush").Should().Be(4000);
    }

    [Fact]
    public async Task A_copy_that_breaks_off_before_its_flush_stores_nothing()
    {
        var backend = Backend("pg_stream_abort");
        await backend.WriteAsync(Rows(0, 1000), default);
        await backend.FlushAsync(default);
        await backend.WriteAsync(Rows(1000, 2000), default);
        await backend.WriteAsync(Rows(3000, 2000), default);

        await backend.DisposeAsync(); // the COPY is cancelled, as when the process dies

        Count("pg_stream_abort").Should().Be(1000, "a COPY that did not end stores nothing");
    }

    [Fact]
    public async Task Rows_the_server_refuses_in_a_streamed_copy_are_reported_and_the_rest_stored()
    {
        _pg.Drop("pg_stream_narrow");
        _pg.Execute("CREATE TABLE pg_stream_narrow (n bigint, text varchar(8))");
        await using var backend = Backend("pg_stream_narrow", create: false);

        await backend.WriteAsync(Rows(0, 3000, n => n % 1000 == 7 ? "far too long for eight" : "short"), default);
        await backend.WriteAsync(Rows(3000, 3000), default);
        var flush = async () => await backend.FlushAsync(default);

        var refused = (await flush.Should().ThrowAsync<SinkRecordsRejectedException>()).Which.Rejected;
        refused.Select(r => r.Record.Find("n")!.Value.Value.AsInt).Should().Equal(7, 1007, 2007);
        refused.Should().OnlyContain(r => r.Reason.Contains("too long", StringComparison.Ordinal));
        Count("pg_stream_narrow").Should().Be(5997);
    }

    private PostgresSinkBackend Backend(string table, bool create = true)
    {
        if (create)
        {
            _pg.Drop(table);
        }

        return new PostgresSinkBackend(new DatabaseSinkOptions { Endpoint = _pg.Endpoint, Database = PostgresServer.Database, Table = table, Username = "postgres", CreateTable = create });
    }

    private long Count(string table) => _pg.Count($"SELECT count(*) FROM {table}");

    private static List<Record> Rows(int first, int count, Func<int, string>? text = null) =>
        Enumerable.Range(first, count).Select(n =>
        {
            var record = new Record(2);
            record.Add("n", Value.Int(n));
            record.Add("text", Value.String(text?.Invoke(n) ?? $"row {n}"));
            return record;
        }).ToList();
}
