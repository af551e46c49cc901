using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.MySql;

/// <summary>A table column as <c>information_schema.columns</c> describes it.</summary>
/// <param name="IsInet6">MariaDB's INET6, which takes an IPv4 address only in its IPv4-mapped form.</param>
internal sealed record MySqlColumn(string Name, string DataType, ColumnKind Kind, bool IsInet6);

/// <summary>
/// Encodes a batch as the rows of a multi-row <c>INSERT … VALUES</c>: each row <c>(v1,v2,…),</c> as
/// SQL literals, straight from the record. The driver then sends the statement as it is; with a
/// parameter per value (65,536 for a batch of 8192 rows of 8 columns) it spent most of a run
/// naming, boxing and substituting them.
/// </summary>
/// <remarks>
/// Literals as the session reads them: the sink sets its own sql_mode, without
/// NO_BACKSLASH_ESCAPES, so a string escapes <c>\ ' NUL LF CR ^Z</c> with a backslash. Times are
/// DATETIME(6) text in UTC (the session's time zone is +00:00), floats in round-trip form; NaN and
/// infinities, which MySQL has no literal for, reject their record like any value a column cannot take.
/// </remarks>
internal sealed class MySqlRowEncoder : BatchEncoder<MySqlColumn>
{
    private static readonly SearchValues<char> s_special = SearchValues.Create("\\'\0\n\r\u001A");

    /// <summary>
    /// The statement for encoded rows [start, start+count): <paramref name="prefix"/> (<c>INSERT INTO … VALUES </c>)
    /// and the rows, without the last row's trailing comma.
    /// </summary>
    public string Statement(string prefix, int start, int count)
    {
        var rows = Rows(start, count).Span[..^1];
        var chars = ArrayPool<char>.Shared.Rent(prefix.Length + Encoding.UTF8.GetMaxCharCount(rows.Length));
        try
        {
            prefix.CopyTo(chars);
            var length = prefix.Length + Encoding.UTF8.GetChars(rows, chars.AsSpan(prefix.Length));
            return new string(chars, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    protected override string NameOf(MySqlColumn column) => column.Name;

    protected override bool TryEncodeRow(Record record, MySqlColumn[] columns, out string? error)
    {
        error = null;
        var fields = FieldsOf(record, columns);
        Buffer.Write((byte)'(');
        for (var c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                Buffer.Write((byte)',');
            }

            var column = columns[c];
            if (!ColumnValues.TryAt(record, fields[c], out var value))
            {
                Buffer.Write("NULL"u8);
            }
            else if (!TryWriteValue(column, value))
            {
                error = ColumnValues.CannotTake(column.Name, column.DataType, value);
                return false;
            }
        }

        Buffer.Write("),"u8);
        return true;
    }

    private bool TryWriteValue(MySqlColumn column, in Value value)
    {
        switch (column.Kind)
        {
            case ColumnKind.Int:
                return ColumnValues.TryInt(value, out var l) && WriteFormatted(l, default);
            case ColumnKind.Float:
                return ColumnValues.TryFloat(value, out var d) && double.IsFinite(d) && WriteFormatted(d, "R");
            case ColumnKind.Bool:
                return ColumnValues.TryBool(value, out var b) && WriteFormatted(b ? 1 : 0, default);
            case ColumnKind.Time:
                if (!ColumnValues.TryTime(value, out var t))
                {
                    return false;
                }

                WriteTime(t);
                return true;
            case ColumnKind.Ip:
                if (!ColumnValues.TryIp(value, out var ip))
                {
                    return false;
                }

                WriteQuoted(column.IsInet6 && ip.AddressFamily == AddressFamily.InterNetwork ? ip.MapToIPv6().ToString() : ip.ToString());
                return true;
            default:
                WriteQuoted(value.Kind is ValueKind.String or ValueKind.Ip ? value.Text : value.ToString().AsSpan());
                return true;
        }
    }

    /// <summary><c>'yyyy-MM-dd HH:mm:ss.ffffff'</c>: DATETIME(6) keeps microseconds.</summary>
    private void WriteTime(DateTime time)
    {
        const int length = TextEscaping.DateTimeLength + 9;
        var text = Buffer.GetSpan(length);
        text[0] = (byte)'\'';
        TextEscaping.WriteDateTime(text[1..], time);
        text[TextEscaping.DateTimeLength + 1] = (byte)'.';
        var micros = (int)(time.Ticks % TimeSpan.TicksPerSecond / 10);
        for (var i = TextEscaping.DateTimeLength + 7; i > TextEscaping.DateTimeLength + 1; i--)
        {
            text[i] = (byte)('0' + (micros % 10));
            micros /= 10;
        }

        text[length - 1] = (byte)'\'';
        Buffer.Advance(length);
    }

    private void WriteQuoted(ReadOnlySpan<char> text)
    {
        Buffer.Write((byte)'\'');
        WriteEscaped(text, s_special, Escape);
        Buffer.Write((byte)'\'');
    }

    private static byte Escape(char special) => special switch
    {
        '\0' => (byte)'0',
        '\n' => (byte)'n',
        '\r' => (byte)'r',
        '\u001A' => (byte)'Z',
        _ => (byte)special, // \ and '
    };
}
