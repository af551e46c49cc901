using MySqlConnector;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// MariaDB from Debian's packages: <c>mariadb-install-db</c> into a temp data folder, then
/// <c>mariadbd --user=mysql</c> on 127.0.0.1 with <c>--skip-grant-tables</c> (no users to set up for
/// a throwaway server). <see cref="DbServer.Stop"/> kills it (SIGKILL), as a crashed server.
/// Database <c>wp</c> is created at first start.
/// </summary>
public sealed class MariaDbServer : AdoDbServer
{
    public const string Database = "wp";
    private System.Diagnostics.Process? _process;

    public MariaDbServer()
        : base("mdb")
    {
    }

    public override string? Missing => File.Exists("/usr/sbin/mariadbd") && File.Exists("/usr/bin/mariadb-install-db") ? null : "mariadb-server is not installed";

    public string Endpoint => $"127.0.0.1:{Port}";

    public string ConnectionString(string? database = Database) =>
        $"Server=127.0.0.1;Port={Port};User ID=root;{(database is null ? "" : $"Database={database};")}Pooling=false;Connection Timeout=5;AllowLoadLocalInfile=true";

    private string Data => Path.Combine(Dir, "data");

    protected override void Initialise()
    {
        Chown(Dir, "mysql");
        Run("/usr/bin/mariadb-install-db", ["--no-defaults", $"--datadir={Data}", "--user=mysql", "--auth-root-authentication-method=normal", "--skip-test-db"]);
    }

    protected override void Launch() =>
        _process = Spawn("/usr/sbin/mariadbd", [
            "--no-defaults", $"--datadir={Data}", "--user=mysql", $"--port={Port}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(Dir, "mysqld.sock")}", $"--pid-file={Path.Combine(Dir, "mysqld.pid")}", "--skip-grant-tables",
            "--skip-log-bin", "--innodb-flush-log-at-trx-commit=2", "--innodb-buffer-pool-size=64M", "--local-infile=1",
            "--skip-name-resolve", "--max-connections=40",
        ], Path.Combine(Dir, "server.log"));

    protected override void Halt()
    {
        if (_process is { } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(30_000);
            p.Dispose();
            _process = null;
        }
    }

    protected override bool Answers()
    {
        try
        {
            using var c = new MySqlConnection(ConnectionString(null));
            c.Open();
            using var create = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS {Database}", c);
            create.ExecuteNonQuery();
            return true;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    protected override System.Data.Common.DbConnection NewConnection() => new MySqlConnection(ConnectionString());

    protected override string TableFilter(string table) => $"table_schema = '{Database}' AND table_name = '{table}'";
}
