using System.Text.RegularExpressions;

namespace Wp.Core.Sinks.Database;

/// <summary>
/// The params every database sink takes (SPEC §7.4), read once at load by its provider. The
/// password is kept only here and in the connection the backend opens; it is never formatted
/// into a message, a log line or <see cref="ISinkSettings.Target"/>.
/// </summary>
internal sealed partial record DatabaseSinkOptions
{
    /// <summary>The params every database connector takes.</summary>
    public static readonly string[] Keys = ["endpoint", "database", "table", "username", "password", "columns", "create_table", "timeout_ms"];

    /// <summary><c>host:port</c> (PostgreSQL, MySQL) or an HTTP base address (ClickHouse).</summary>
    public required string Endpoint { get; init; }

    public required string Database { get; init; }

    public required string Table { get; init; }

    public string Username { get; init; } = "";

    public string Password { get; init; } = "";

    /// <summary>Record fields written, each to the column of the same name; null: every column of the table (or of the first record, when the sink creates it).</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>True: <c>CREATE TABLE IF NOT EXISTS</c> with types from the record kinds. Default false.</summary>
    public bool CreateTable { get; init; }

    /// <summary>Connect and command timeout. Default 5000 ms.</summary>
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>SQL identifiers we accept for database, table and columns: no quoting games.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex IdentifierPattern();

    /// <summary>Splits <see cref="Endpoint"/> as host:port (IPv6 in brackets), with <paramref name="defaultPort"/> when none is given.</summary>
    public (string Host, int Port) HostPort(int defaultPort)
    {
        var text = Endpoint;
        var colon = text.LastIndexOf(':');
        var closing = text.LastIndexOf(']');
        if (colon > closing && int.TryParse(text.AsSpan(colon + 1), out var port))
        {
            return (text[..colon].Trim('[', ']'), port);
        }

        return (text.Trim('[', ']'), defaultPort);
    }

    /// <summary>
    /// Reads the common params; null (with problems added at their lines) when one is unusable.
    /// </summary>
    public static DatabaseSinkOptions? Read(SinkParams p, string defaultEndpoint, params string[] extraKeys)
    {
        p.OnlyKnown([.. Keys, .. extraKeys]);
        var endpoint = p.String("endpoint", defaultEndpoint, required: true);
        var database = Identifier(p, "database");
        var table = Identifier(p, "table");
        var username = p.String("username", "");
        var password = p.String("password", "");
        var columns = p.StringList("columns");
        if (columns is not null)
        {
            if (columns.Count == 0)
            {
                p.Problem("columns", $"param 'columns' of {p.OwnerName} must not be empty (leave it out for every field)");
            }

            foreach (var c in columns.Where(c => !IdentifierPattern().IsMatch(c)))
            {
                p.Problem("columns", $"column '{c}' of {p.OwnerName} must match [A-Za-z_][A-Za-z0-9_]*");
            }

            foreach (var c in columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                p.Problem("columns", $"column '{c.Key}' of {p.OwnerName} is listed twice");
            }
        }

        var create = p.Bool("create_table", false);
        var timeout = p.Integer("timeout_ms", 5000, min: 1, max: 3_600_000);
        if (p.HasProblems || endpoint is null || database is null || table is null || create is null || timeout is null)
        {
            return null;
        }

        return new DatabaseSinkOptions
        {
            Endpoint = endpoint,
            Database = database,
            Table = table,
            Username = username ?? "",
            Password = password ?? "",
            Columns = columns,
            CreateTable = create.Value,
            TimeoutMs = (int)timeout.Value,
        };
    }

    /// <summary>Never includes the password (records print their members, so this one is explicit).</summary>
    public override string ToString() => $"{Endpoint}/{Database}.{Table}";

    private static string? Identifier(SinkParams p, string key)
    {
        var value = p.String(key, required: true);
        if (value is not null && !IdentifierPattern().IsMatch(value))
        {
            p.Problem(key, $"param '{key}' of {p.OwnerName} must match [A-Za-z_][A-Za-z0-9_]*");
            return null;
        }

        return value;
    }
}
