using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.Postgres;

/// <summary>The PostgreSQL types a sink writes in binary COPY; anything else is sent as text.</summary>
internal enum PgType
{
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Numeric,
    Bool,
    TimestampTz,
    Timestamp,
    Inet,
    Text,
}

/// <summary>A table column as the catalog describes it: name, <c>data_type</c>, and how a value is written.</summary>
internal sealed record PgColumn(string Name, string DataType, PgType Type, ColumnKind Kind)
{
    /// <summary>The column from <c>information_schema.columns</c>' name and <c>data_type</c>.</summary>
    public static PgColumn From(string name, string dataType)
    {
        var (type, kind) = dataType switch
        {
            "smallint" => (PgType.Int2, ColumnKind.Int),
            "integer" => (PgType.Int4, ColumnKind.Int),
            "bigint" => (PgType.Int8, ColumnKind.Int),
            "real" => (PgType.Float4, ColumnKind.Float),
            "double precision" => (PgType.Float8, ColumnKind.Float),
            "numeric" => (PgType.Numeric, ColumnKind.Float),
            "boolean" => (PgType.Bool, ColumnKind.Bool),
            "timestamp with time zone" => (PgType.TimestampTz, ColumnKind.Time),
            "timestamp without time zone" => (PgType.Timestamp, ColumnKind.Time),
            "inet" => (PgType.Inet, ColumnKind.Ip),
            _ => (PgType.Text, ColumnKind.Text), // text, character varying, character: the same bytes
        };
        return new PgColumn(name, dataType, type, kind);
    }
}
