using Wp.Cli.Tests.Support;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// What a sink that sends a batch's statement while the batch fills must do against its real
/// server, written once: a statement written in several writes is stored at the flush and not
/// before; one that breaks off before its flush stores nothing; rows the server refuses are
/// isolated at the flush and the rest stored. Each database's class gives the backend, how to
/// count rows and make a narrow table, and what its server says of a value too long.
/// </summary>
public abstract class StreamedStatementTests<TServer> : IClassFixture<TServer>
    where TServer : DbServer
{
    protected StreamedStatementTests(TServer db, string prefix)
    {
        Db = db;
        _prefix = prefix;
        db.EnsureStarted();
    }

    private readonly string _prefix;

    protected TServer Db { get; }

    /// <summary>A backend for <paramref name="table"/> (created by the sink when <paramref name="create"/>).</summary>
    private protected abstract ISinkBackend Backend(string table, bool create);

    /// <summary>Rows of <paramref name="table"/>.</summary>
    protected abstract long Count(string table);

    /// <summary>Creates <paramref name="table"/> (n integer, text of at most 8 characters).</summary>
    protected abstract void CreateNarrowTable(string table);

    /// <summary>Part of the server's message for a value too long for its column.</summary>
    protected abstract string TooLongMessage { get; }

    /// <summary>Returns once the server has had the open statement of <paramref name="table"/> to read, so that breaking it off cuts a body it has, not one still on its way.</summary>
    protected virtual Task UntilReadingAsync(string table) => Task.CompletedTask;

    [Fact]
    public async Task A_statement_written_in_several_writes_is_stored_at_the_flush_and_not_before()
    {
        var table = _prefix + "_stream_flush";
        await using var backend = Fresh(table);

        await backend.WriteAsync(Rows(0, 1500), default);
        await backend.WriteAsync(Rows(1500, 1500), default);
        await backend.WriteAsync(Rows(3000, 1000), default);
        Count(table).Should().Be(0, "nothing is stored before the statement ends");
        await backend.FlushAsync(default);

        Count(table).Should().Be(4000);
    }

    [Fact]
    public async Task A_statement_that_breaks_off_before_its_flush_stores_nothing()
    {
        var table = _prefix + "_stream_abort";
        var backend = Fresh(table);
        await backend.WriteAsync(Rows(0, 1000), default);
        await backend.FlushAsync(default);
        await backend.WriteAsync(Rows(1000, 2000, Wide), default);
        await backend.WriteAsync(Rows(3000, 2000, Wide), default);
        await UntilReadingAsync(table);

        await backend.DisposeAsync(); // the statement never ends, as when the process dies

        Count(table).Should().Be(1000, "a statement that did not end stores nothing");
    }

    [Fact]
    public async Task Rows_the_server_refuses_in_a_streamed_statement_are_reported_and_the_rest_stored()
    {
        var table = _prefix + "_stream_narrow";
        Db.Drop(table);
        CreateNarrowTable(table);
        await using var backend = Backend(table, create: false);

        await backend.WriteAsync(Rows(0, 3000, n => n % 1000 == 7 ? "far too long for eight" : "short"), default);
        await backend.WriteAsync(Rows(3000, 3000), default);
        var flush = async () => await backend.FlushAsync(default);

        var refused = (await flush.Should().ThrowAsync<SinkRecordsRejectedException>()).Which.Rejected;
        refused.Select(r => r.Record.Find("n")!.Value.Value.AsInt).Should().Equal(7, 1007, 2007);
        refused.Should().OnlyContain(r => r.Reason.Contains(TooLongMessage, StringComparison.Ordinal));
        Count(table).Should().Be(5997);
    }

    private ISinkBackend Fresh(string table)
    {
        Db.Drop(table);
        return Backend(table, create: true);
    }

    // ~100 bytes a row: 4,000 rows are more than ClickHouse reads before it lists an INSERT, and
    // few enough that the whole body has gone out while the test waits.
    private static string Wide(int n) => $"row {n} " + new string('x', 100);

    private static List<Record> Rows(int first, int count, Func<int, string>? text = null) =>
        Enumerable.Range(first, count).Select(n =>
        {
            var record = new Record(2);
            record.Add("n", Value.Int(n));
            record.Add("text", Value.String(text?.Invoke(n) ?? $"row {n}"));
            return record;
        }).ToList();
}
