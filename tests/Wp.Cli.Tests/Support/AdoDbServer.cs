using System.Data.Common;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// A test server reached through ADO.NET (PostgreSQL, MariaDB): the SQL helpers the database tests use,
/// written once over <see cref="DbConnection"/>. Each helper opens its own short connection.
/// </summary>
public abstract class AdoDbServer : DbServer
{
    protected AdoDbServer(string kind)
        : base(kind)
    {
    }

    public object? Scalar(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public long Count(string sql) => Convert.ToInt64(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    public void Execute(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Column name → data_type of a table of the test database, from information_schema.</summary>
    public Dictionary<string, string> ColumnTypes(string table)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT column_name, data_type FROM information_schema.columns WHERE {TableFilter(table)}";
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<string, string>();
        while (r.Read())
        {
            result[r.GetString(0)] = r.GetString(1);
        }

        return result;
    }

    /// <summary>Drops a table when it exists (the tests of a class share the server).</summary>
    public override void Drop(string table) => Execute($"DROP TABLE IF EXISTS {table}");

    /// <summary>A new, closed connection to the test database.</summary>
    protected abstract DbConnection NewConnection();

    /// <summary>The information_schema.columns condition that picks <paramref name="table"/> of the test database.</summary>
    protected abstract string TableFilter(string table);

    private DbConnection Open()
    {
        var c = NewConnection();
        c.Open();
        return c;
    }
}
