using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Sinks.Database;

namespace Wp.Core.Sinks.Postgres;

/// <summary>
/// Encodes a batch as rows of PostgreSQL's binary COPY format (<c>FORMAT BINARY</c>): each value in
/// its column type's binary form, which cost far less than the driver's typed importer (a generic
/// call and type resolution per value) and spares the server parsing text.
/// </summary>
/// <remarks>
/// Format: the PostgreSQL manual, "COPY — Binary Format"; each type's binary representation is its
/// <c>*send</c> function (int8send, float8send, timestamptz_send, inet_send, numeric_send, textsend).
/// </remarks>
internal sealed class PgCopyEncoder : BatchEncoder<PgColumn>
{
    private const long PgEpochTicks = 630822816000000000; // 2000-01-01T00:00:00Z, the zero of PostgreSQL timestamps
    private const byte PgsqlAfInet = 2;                   // inet's family codes (PGSQL_AF_INET, PGSQL_AF_INET6)
    private const byte PgsqlAfInet6 = 3;

    private string? _error;

    /// <summary>Signature, flags (no OIDs) and an empty header extension.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The end of the rows: a field count of -1.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xFF, 0xFF];

    protected override bool TryEncodeRow(Record record, PgColumn[] columns, out string? error)
    {
        error = null;
        WriteInt16((short)columns.Length);
        var fields = FieldsOf(record, columns);
        for (var c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            if (!ColumnValues.TryAt(record, fields[c], out var value))
            {
                WriteInt32(-1); // NULL
                continue;
            }

            var lengthAt = Buffer.Reserve(4);
            if (!TryWriteValue(column, value))
            {
                error = _error ?? ColumnValues.CannotTake(column.Name, column.DataType, value);
                return false;
            }

            BinaryPrimitives.WriteInt32BigEndian(Buffer.At(lengthAt, 4), Buffer.Length - lengthAt - 4);
        }

        return true;
    }

    protected override string NameOf(PgColumn column) => column.Name;

    private bool TryWriteValue(PgColumn column, in Value value)
    {
        _error = null;
        switch (column.Type)
        {
            case PgType.Int2 or PgType.Int4 or PgType.Int8:
                if (!ColumnValues.TryInt(value, out var l))
                {
                    return false;
                }

                return column.Type switch
                {
                    PgType.Int8 => WriteInt64(l),
                    PgType.Int4 when l is >= int.MinValue and <= int.MaxValue => WriteInt32((int)l),
                    PgType.Int2 when l is >= short.MinValue and <= short.MaxValue => WriteInt16((short)l),
                    _ => OutOfRange(column, l),
                };
            case PgType.Float4 or PgType.Float8 or PgType.Numeric:
                if (!ColumnValues.TryFloat(value, out var d))
                {
                    return false;
                }

                return column.Type switch
                {
                    PgType.Float8 => WriteInt64(BitConverter.DoubleToInt64Bits(d)),
                    PgType.Float4 => WriteInt32(BitConverter.SingleToInt32Bits((float)d)),
                    _ => value.Kind == ValueKind.Int ? WriteNumeric(value.AsInt) : WriteNumeric(column, d),
                };
            case PgType.Bool:
                if (!ColumnValues.TryBool(value, out var b))
                {
                    return false;
                }

                Buffer.Write(b ? (byte)1 : (byte)0);
                return true;
            case PgType.TimestampTz or PgType.Timestamp:
                // timestamp without time zone gets the UTC wall clock, like timestamptz's instant.
                return ColumnValues.TryTime(value, out var t) && WriteInt64((t.Ticks - PgEpochTicks) / 10);
            case PgType.Inet:
                if (!ColumnValues.TryIp(value, out var ip))
                {
                    return false;
                }

                var span = Buffer.GetSpan(20);
                ip.TryWriteBytes(span[4..], out var size);
                span[0] = ip.AddressFamily == AddressFamily.InterNetwork ? PgsqlAfInet : PgsqlAfInet6;
                span[1] = (byte)(size * 8); // prefix bits: the whole address
                span[2] = 0;                // not cidr
                span[3] = (byte)size;
                Buffer.Advance(4 + size);
                return true;
            default:
                WriteText(value);
                return true;
        }
    }

    private void WriteText(in Value value)
    {
        if (value.Kind is ValueKind.String or ValueKind.Ip)
        {
            var text = value.Text;
            var written = Encoding.UTF8.GetBytes(text, Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
            Buffer.Advance(written);
        }
        else
        {
            Buffer.Write(Encoding.UTF8.GetBytes(value.ToString()));
        }
    }

    private bool WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Buffer.GetSpan(8), value);
        Buffer.Advance(8);
        return true;
    }

    private bool WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Buffer.GetSpan(4), value);
        Buffer.Advance(4);
        return true;
    }

    private bool WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Buffer.GetSpan(2), value);
        Buffer.Advance(2);
        return true;
    }

    private bool OutOfRange(PgColumn column, object value)
    {
        _error = $"column '{column.Name}' ({column.DataType}) cannot take {value}: out of range";
        return false;
    }

    private bool WriteNumeric(PgColumn column, double value)
    {
        if (double.IsNaN(value))
        {
            return WriteNumericParts([], weight: 0, sign: 0xC000, scale: 0);
        }

        // decimal holds 28–29 significant digits; the double's shortest round-trip text is what a user wrote.
        return decimal.TryParse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
            ? WriteNumeric(m)
            : OutOfRange(column, value);
    }

    /// <summary>numeric_send: base-10000 digits, the weight of the first, sign, and the count of decimal places.</summary>
    private bool WriteNumeric(decimal value)
    {
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.');
        var whole = (dot < 0 ? text : text[..dot]).TrimStart('0');
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        var wholeGroups = (whole.Length + 3) / 4;
        var padded = whole.PadLeft(wholeGroups * 4, '0') + fraction.PadRight((fraction.Length + 3) / 4 * 4, '0');
        var digits = new List<short>(padded.Length / 4);
        for (var i = 0; i < padded.Length; i += 4)
        {
            digits.Add(short.Parse(padded.AsSpan(i, 4), CultureInfo.InvariantCulture));
        }

        var weight = wholeGroups - 1;
        while (digits.Count > 0 && digits[0] == 0)
        {
            digits.RemoveAt(0);
            weight--;
        }

        while (digits.Count > 0 && digits[^1] == 0)
        {
            digits.RemoveAt(digits.Count - 1);
        }

        return WriteNumericParts(digits, digits.Count == 0 ? 0 : weight, value < 0 ? 0x4000 : 0, fraction.Length);
    }

    private bool WriteNumericParts(List<short> digits, int weight, int sign, int scale)
    {
        WriteInt16((short)digits.Count);
        WriteInt16((short)weight);
        WriteInt16((short)sign);
        WriteInt16((short)scale);
        foreach (var digit in digits)
        {
            WriteInt16(digit);
        }

        return true;
    }
}
