using Npgsql;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// PostgreSQL from Debian's packages (<c>/usr/lib/postgresql/N/bin</c>): initdb with trust auth,
/// listening on 127.0.0.1 and a socket folder in <see cref="DbServer.Dir"/>; stopped with
/// <c>pg_ctl stop -m fast</c>. Database <c>wp</c> is created at first start.
/// </summary>
public sealed class PostgresServer : AdoDbServer
{
    public const string Database = "wp";

    public PostgresServer()
        : base("pg")
    {
    }

    public static string? BinDir { get; } = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
        : null;

    public override string? Missing => BinDir is null ? "PostgreSQL binaries (/usr/lib/postgresql/*/bin) are not installed" : null;

    public string Endpoint => $"127.0.0.1:{Port}";

    public string ConnectionString(string database = Database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5";

    private string Data => Path.Combine(Dir, "data");

    protected override void Initialise()
    {
        Chown(Dir, "postgres");
        Run(Path.Combine(BinDir!, "initdb"), ["-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asUser: "postgres");
    }

    protected override void Launch() =>
        Run(Path.Combine(BinDir!, "pg_ctl"), ["-D", Data, "-l", Path.Combine(Dir, "server.log"), "-w", "-o",
            $"-p {Port} -k {Dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=40", "start"], asUser: "postgres");

    protected override void Halt() =>
        Run(Path.Combine(BinDir!, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "stop"], asUser: "postgres");

    protected override bool Answers()
    {
        try
        {
            using (var c = new NpgsqlConnection(ConnectionString("postgres")))
            {
                c.Open();
                using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", c);
                if (exists.ExecuteScalar() is null)
                {
                    using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", c);
                    create.ExecuteNonQuery();
                }
            }

            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    protected override System.Data.Common.DbConnection NewConnection() => new NpgsqlConnection(ConnectionString());

    protected override string TableFilter(string table) => $"table_name = '{table}'";
}
