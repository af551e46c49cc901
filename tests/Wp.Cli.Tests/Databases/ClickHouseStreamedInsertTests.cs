using Wp.Cli.Tests.Support;
using Wp.Core.Records;
using Wp.Core.Sinks.ClickHouse;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// clickhouse_sink sends a batch's INSERT while the batch fills and ends it at the flush: against a
/// real ClickHouse, a flushed statement stores every row, and one that breaks off first stores none.
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class ClickHouseStreamedInsertTests : IClassFixture<ClickHouseServer>
{
    private readonly ClickHouseServer _ch;

    public ClickHouseStreamedInsertTests(ClickHouseServer ch)
    {
        _ch = ch;
        ch.EnsureStarted();
    }

    [Fact]
    public async Task A_statement_written_in_several_writes_is_stored_at_the_flush_and_not_before()
    {
        await using var backend = Backend("ch_stream_flush");

        await backend.WriteAsync(Rows(0, 1500), default);
        await backend.WriteAsync(Rows(1500, 1500), default);
        await backend.WriteAsync(Rows(3000, 1000), default);
        Count("ch_stream_flush").Should().Be(0, "nothing is stored before the statement ends");
        await backend.FlushAsync(default);

        Count("ch_stream_flush").Should().Be(4000);
        _ch.Count("SELECT uniqExact(n) FROM wp.ch_stream_flush FORMAT TabSeparated").Should().Be(4000);
    }

    [Fact]
    public async Task A_statement_that_breaks_off_before_its_flush_stores_nothing()
    {
        var backend = Backend("ch_stream_abort");
        await backend.WriteAsync(Rows(0, 1000), default);
        await backend.FlushAsync(default);
        await backend.WriteAsync(Rows(1000, 2000, Wide), default);
        await backend.WriteAsync(Rows(3000, 2000, Wide), default);
        for (var i = 0; i < 200 && !InsertRunning("ch_stream_abort"); i++)
        {
            await Task.Delay(50); // until the server runs the INSERT: the break must cut a body it is reading
        }

        await backend.DisposeAsync(); // the request ends without its last bytes, as when the process dies

        await Task.Delay(500); // let the server finish with the broken request
        Count("ch_stream_abort").Should().Be(1000, "a gzip body without its trailer stores nothing (plain text would be stored up to the cut)");
    }

    [Fact]
    public async Task Rows_the_server_refuses_in_a_streamed_statement_are_reported_and_the_rest_stored()
    {
        _ch.Drop("ch_stream_narrow");
        _ch.Query("CREATE TABLE wp.ch_stream_narrow (n Int64, text FixedString(8)) ENGINE = MergeTree ORDER BY n");
        await using var backend = Backend("ch_stream_narrow", create: false);

        await backend.WriteAsync(Rows(0, 3000, n => n % 1000 == 7 ? "far too long for eight" : "short"), default);
        await backend.WriteAsync(Rows(3000, 3000), default);
        var flush = async () => await backend.FlushAsync(default);

        var refused = (await flush.Should().ThrowAsync<SinkRecordsRejectedException>()).Which.Rejected;
        refused.Select(r => r.Record.Find("n")!.Value.Value.AsInt).Should().Equal(7, 1007, 2007);
        refused.Should().OnlyContain(r => r.Reason.Contains("Code: 131", StringComparison.Ordinal));
        Count("ch_stream_narrow").Should().Be(5997);
    }

    private ClickHouseSinkBackend Backend(string table, bool create = true)
    {
        if (create)
        {
            _ch.Drop(table);
        }

        return new ClickHouseSinkBackend(new DatabaseSinkOptions { Endpoint = _ch.Endpoint, Database = ClickHouseServer.Database, Table = table, CreateTable = create });
    }

    // Whether an INSERT into the table is running (ClickHouse 18.16 shows no progress for one sent over HTTP).
    private bool InsertRunning(string table) =>
        _ch.Count($"SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO wp.{table} %' FORMAT TabSeparated") > 0;

    private static string Wide(int n) => $"row {n} " + new string('x', 1000);

    private long Count(string table) => _ch.Count($"SELECT count() FROM wp.{table} FORMAT TabSeparated");

    private static List<Record> Rows(int first, int count, Func<int, string>? text = null) =>
        Enumerable.Range(first, count).Select(n =>
        {
            var record = new Record(2);
            record.Add("n", Value.Int(n));
            record.Add("text", Value.String(text?.Invoke(n) ?? $"row {n}"));
            return record;
        }).ToList();
}
