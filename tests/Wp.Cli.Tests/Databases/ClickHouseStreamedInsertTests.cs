using Wp.Cli.Tests.Support;
using Wp.Core.Sinks;
using Wp.Core.Sinks.ClickHouse;
using Wp.Core.Sinks.Database;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// clickhouse_sink's INSERT sent while the batch fills, against a real ClickHouse (the facts are in
/// <see cref="StreamedStatementTests{TServer}"/>). The break-off fact pins the gzip framing: with a
/// plain TabSeparated body the server stores the whole rows of a body cut off (5,000 rows, checked).
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class ClickHouseStreamedInsertTests(ClickHouseServer ch) : StreamedStatementTests<ClickHouseServer>(ch, "ch")
{
    protected override string TooLongMessage => "Code: 131";

    private protected override ISinkBackend Backend(string table, bool create) =>
        new ClickHouseSinkBackend(new DatabaseSinkOptions { Endpoint = Db.Endpoint, Database = ClickHouseServer.Database, Table = table, CreateTable = create });

    protected override long Count(string table) => Db.Count($"SELECT count() FROM wp.{table} FORMAT TabSeparated");

    protected override void CreateNarrowTable(string table) =>
        Db.Query($"CREATE TABLE wp.{table} (n Int64, text FixedString(8)) ENGINE = MergeTree ORDER BY n");

    // Waits at most 2 s for the server to list the INSERT (see ClickHouseServer.InsertRunning).
    protected override async Task UntilReadingAsync(string table)
    {
        for (var i = 0; i < 40 && !Db.InsertRunning(table); i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300); // and has the rest: a plain body would now end after a whole row
    }
}
