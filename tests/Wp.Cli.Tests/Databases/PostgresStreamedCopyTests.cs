using Wp.Cli.Tests.Support;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.Postgres;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// postgres_sink's COPY sent while the batch fills, against a real PostgreSQL (the facts are in
/// <see cref="StreamedStatementTests{TServer}"/>). The break-off fact pins the cancel: disposing
/// Npgsql's COPY stream instead would commit it (5,000 rows stored, checked).
/// </summary>
[Collection(E2eCollection.Name)]
public sealed class PostgresStreamedCopyTests(PostgresServer pg) : StreamedStatementTests<PostgresServer>(pg, "pg")
{
    protected override string TooLongMessage => "too long";

    private protected override ISinkBackend Backend(string table, bool create) =>
        new PostgresSinkBackend(new DatabaseSinkOptions { Endpoint = Db.Endpoint, Database = PostgresServer.Database, Table = table, Username = "postgres", CreateTable = create });

    protected override long Count(string table) => Db.Count($"SELECT count(*) FROM {table}");

    protected override void CreateNarrowTable(string table) => Db.Execute($"CREATE TABLE {table} (n bigint, text varchar(8))");
}
