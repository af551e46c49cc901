using System.Buffers;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.ClickHouse;

/// <summary>A table column as <c>system.columns</c> describes it.</summary>
internal sealed record ChColumn(string Name, string Type, ColumnKind Kind)
{
    /// <summary>Whether the column takes NULL (<c>Nullable(…)</c>); a missing field is NULL there, the type's default elsewhere.</summary>
    public bool IsNullable { get; } = Type.StartsWith("Nullable(", StringComparison.Ordinal);
}

/// <summary>
/// Encodes a batch as <c>TabSeparated</c> rows, the text format ClickHouse parses fastest (as fast
/// as the CSV its own client loads; JSONEachRow cost the server more and the sink a JSON writer).
/// The server converts each field to its column's type, so one encoding fits every column type.
/// </summary>
/// <remarks>
/// Escaping as ClickHouse reads it: backslash, tab, line feed, carriage return and NUL are written
/// as <c>\\</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\0</c>; NULL is <c>\N</c>. Times are the UTC
/// wall clock, <c>YYYY-MM-DD hh:mm:ss</c>.
/// </remarks>
internal sealed class ChTsvEncoder : BatchEncoder<ChColumn>
{
    private static readonly SearchValues<char> s_special = SearchValues.Create("\\\t\n\r\0");

    protected override bool TryEncodeRow(Record record, ChColumn[] columns, out string? error)
    {
        error = null;
        var fields = FieldsOf(record, columns);
        for (var c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                Buffer.Write((byte)'\t');
            }

            var column = columns[c];
            if (!ColumnValues.TryAt(record, fields[c], out var value))
            {
                WriteMissing(column);
            }
            else if (!TryWriteValue(column, value))
            {
                error = ColumnValues.CannotTake(column.Name, column.Type, value);
                return false;
            }
        }

        Buffer.Write((byte)'\n');
        return true;
    }

    protected override string NameOf(ChColumn column) => column.Name;

    private void WriteMissing(ChColumn column)
    {
        if (column.IsNullable)
        {
            Buffer.Write(@"\N"u8);
            return;
        }

        Buffer.Write(column.Kind switch
        {
            ColumnKind.Text or ColumnKind.Ip => ""u8,
            ColumnKind.Time => "0000-00-00 00:00:00"u8,
            _ => "0"u8,
        });
    }

    private bool TryWriteValue(ChColumn column, in Value value)
    {
        switch (column.Kind)
        {
            case ColumnKind.Int:
                return ColumnValues.TryInt(value, out var l) && WriteFormatted(l, default);
            case ColumnKind.Float:
                if (!ColumnValues.TryFloat(value, out var d))
                {
                    return false;
                }

                if (!double.IsFinite(d))
                {
                    Buffer.Write(double.IsNaN(d) ? "nan"u8 : d > 0 ? "inf"u8 : "-inf"u8);
                    return true;
                }

                return WriteFormatted(d, "R");
            case ColumnKind.Bool:
                return ColumnValues.TryBool(value, out var b) && WriteFormatted(b ? 1 : 0, default);
            case ColumnKind.Time:
                if (!ColumnValues.TryTime(value, out var t))
                {
                    return false;
                }

                TextEscaping.WriteDateTime(Buffer.GetSpan(TextEscaping.DateTimeLength), t);
                Buffer.Advance(TextEscaping.DateTimeLength);
                return true;
            default:
                WriteText(value);
                return true;
        }
    }

    private void WriteText(in Value value) =>
        WriteEscaped(value.Kind is ValueKind.String or ValueKind.Ip ? value.Text : value.ToString().AsSpan(), s_special, Escape);

    private static byte Escape(char special) => special switch
    {
        '\t' => (byte)'t',
        '\n' => (byte)'n',
        '\r' => (byte)'r',
        '\0' => (byte)'0',
        _ => (byte)'\\',
    };
}
