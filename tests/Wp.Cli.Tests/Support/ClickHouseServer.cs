using System.Net.Http;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// ClickHouse (Debian's 18.16) with a generated minimal config.xml and users.xml in a temp folder:
/// free HTTP and TCP ports on 127.0.0.1, server time zone UTC. 18.16 runs as root without
/// complaint, so no user switch. <see cref="DbServer.Stop"/> kills it (SIGKILL). Database
/// <c>wp</c> is created at first start.
/// </summary>
public sealed class ClickHouseServer : DbServer
{
    public const string Database = "wp";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private System.Diagnostics.Process? _process;

    public ClickHouseServer()
        : base("ch")
    {
        TcpPort = FreeTcp();
    }

    public int TcpPort { get; }

    public override string? Missing => File.Exists("/usr/bin/clickhouse-server") || File.Exists("/usr/sbin/clickhouse-server") ? null : "clickhouse-server is not installed";

    public string Endpoint => $"http://127.0.0.1:{Port}";

    private static int FreeTcp()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    protected override void Initialise()
    {
        foreach (var d in new[] { "data", "tmp", "log", "user_files", "format_schemas" })
        {
            Directory.CreateDirectory(Path.Combine(Dir, d));
        }

        File.WriteAllText(Path.Combine(Dir, "users.xml"), """
            <yandex>
              <profiles><default></default></profiles>
              <users><default><password></password><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default></default></quotas>
            </yandex>
            """);
        File.WriteAllText(Path.Combine(Dir, "config.xml"), $"""
            <yandex>
              <logger><level>warning</level><log>{Dir}/log/server.log</log><errorlog>{Dir}/log/error.log</errorlog><console>0</console></logger>
              <http_port>{Port}</http_port>
              <tcp_port>{TcpPort}</tcp_port>
              <listen_host>127.0.0.1</listen_host>
              <timezone>UTC</timezone>
              <path>{Dir}/data/</path>
              <tmp_path>{Dir}/tmp/</tmp_path>
              <user_files_path>{Dir}/user_files/</user_files_path>
              <format_schema_path>{Dir}/format_schemas/</format_schema_path>
              <users_config>{Dir}/users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size>
              <max_concurrent_queries>50</max_concurrent_queries>
            </yandex>
            """);
    }

    protected override void Launch() =>
        _process = Spawn(File.Exists("/usr/bin/clickhouse-server") ? "/usr/bin/clickhouse-server" : "/usr/sbin/clickhouse-server",
            [$"--config-file={Path.Combine(Dir, "config.xml")}"], Path.Combine(Dir, "stdout.log"));

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
            Query($"CREATE DATABASE IF NOT EXISTS {Database}");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs a query over HTTP and returns the body (TabSeparated); throws on an error status.</summary>
    public string Query(string sql)
    {
        using var content = new StringContent(sql);
        using var response = s_http.PostAsync($"{Endpoint}/", content).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"clickhouse {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    /// <summary>
    /// Whether an INSERT into <paramref name="table"/> is running. 18.16 shows no progress of one
    /// sent over HTTP; it lists a plain-text one once it has read into its body, a gzip one later.
    /// </summary>
    public bool InsertRunning(string table) =>
        Count($"SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO {Database}.{table} %' FORMAT TabSeparated") > 0;

    public long Count(string sql) => long.Parse(Query(sql).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public Dictionary<string, string> ColumnTypes(string table) =>
        Query($"SELECT name, type FROM system.columns WHERE database = '{Database}' AND table = '{table}' FORMAT TabSeparated")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1].Replace("\\'", "'", StringComparison.Ordinal)); // TabSeparated escapes quotes

    public override void Drop(string table) => Query($"DROP TABLE IF EXISTS {Database}.{table}");
}
