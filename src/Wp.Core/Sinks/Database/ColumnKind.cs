using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Wp.Core.Records;

namespace Wp.Core.Sinks.Database;

/// <summary>What a database column holds, as far as a sink converts values (docs/configuration.md, database sinks).</summary>
internal enum ColumnKind
{
    /// <summary>digit → 64-bit integer (also the narrower integer types of an existing table).</summary>
    Int,

    /// <summary>float → double.</summary>
    Float,

    Bool,

    /// <summary>time → timestamp (the instant; a time without offset is taken as UTC).</summary>
    Time,

    /// <summary>ip → the database's address type where it has one.</summary>
    Ip,

    /// <summary>chars, and anything else → text.</summary>
    Text,
}

/// <summary>A column a sink writes: its name and kind.</summary>
internal readonly record struct TableColumn(string Name, ColumnKind Kind);

/// <summary>Record values → typed column values. Pure functions; never throw on data.</summary>
internal static class ColumnValues
{
    /// <summary>The column kind a value of <paramref name="kind"/> creates (create_table).</summary>
    public static ColumnKind KindOf(ValueKind kind) => kind switch
    {
        ValueKind.Int => ColumnKind.Int,
        ValueKind.Float => ColumnKind.Float,
        ValueKind.Bool => ColumnKind.Bool,
        ValueKind.DateTime => ColumnKind.Time,
        ValueKind.Ip => ColumnKind.Ip,
        _ => ColumnKind.Text,
    };

    /// <summary>
    /// The columns of a table the sink creates: <paramref name="names"/> (or the fields of the first
    /// record that has any), each typed from the first record in <paramref name="batch"/> that has it.
    /// A column no record has yet is text.
    /// </summary>
    public static List<TableColumn> Infer(IReadOnlyList<string>? names, IReadOnlyList<Record> batch)
    {
        names ??= batch.FirstOrDefault(r => !r.IsRaw && r.Count > 0)?.Fields
            .Where(f => f.Value.Kind != ValueKind.Ignore && !f.Name.StartsWith('_'))
            .Select(f => f.Name).Distinct(StringComparer.Ordinal).Where(n => DatabaseSinkOptions.IdentifierPattern().IsMatch(n)).ToList() ?? [];
        var result = new List<TableColumn>(names.Count);
        foreach (var name in names)
        {
            var kind = ColumnKind.Text;
            foreach (var record in batch)
            {
                if (record.Find(name) is { } field && field.Value.Kind != ValueKind.Ignore)
                {
                    kind = KindOf(field.Value.Kind);
                    break;
                }
            }

            result.Add(new TableColumn(name, kind));
        }

        return result;
    }

    /// <summary>The value of the field at <paramref name="index"/> (from <see cref="BatchEncoder{TColumn}"/>'s lookup, -1: none); false when there is none (SQL NULL).</summary>
    public static bool TryAt(Record record, int index, out Value value)
    {
        value = index < 0 ? default : record.FieldSpan[index].Value;
        return value.Kind != ValueKind.Ignore;
    }

    /// <summary>An integer column's value: an integer, a decimal integer string, or a bool as 0/1.</summary>
    public static bool TryInt(in Value v, out long value)
    {
        switch (v.Kind)
        {
            case ValueKind.Int:
                value = v.AsInt;
                return true;
            case ValueKind.Bool:
                value = v.AsBool ? 1 : 0;
                return true;
            case ValueKind.String:
                return long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A floating-point column's value: a float, an integer, or a number string.</summary>
    public static bool TryFloat(in Value v, out double value)
    {
        switch (v.Kind)
        {
            case ValueKind.Float:
                value = v.AsFloat;
                return true;
            case ValueKind.Int:
                value = v.AsInt;
                return true;
            case ValueKind.String:
                return double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A boolean column's value: a bool, the integers 0 and 1, or "true"/"false".</summary>
    public static bool TryBool(in Value v, out bool value)
    {
        value = false;
        switch (v.Kind)
        {
            case ValueKind.Bool:
                value = v.AsBool;
                return true;
            case ValueKind.Int when v.AsInt is 0 or 1:
                value = v.AsInt == 1;
                return true;
            case ValueKind.String:
                return bool.TryParse(v.Text, out value);
            default:
                return false;
        }
    }

    /// <summary>A timestamp column's value: the instant of a time, in UTC.</summary>
    public static bool TryTime(in Value v, out DateTime value)
    {
        value = v.Kind == ValueKind.DateTime ? v.AsUtcDateTime : default;
        return v.Kind == ValueKind.DateTime;
    }

    /// <summary>An address column's value: an IP, or a string that parses as one.</summary>
    public static bool TryIp(in Value v, [NotNullWhen(true)] out IPAddress? value)
    {
        value = null;
        return v.Kind is ValueKind.Ip or ValueKind.String && IPAddress.TryParse(v.Text, out value);
    }

    /// <summary>Why a column refuses a value (the message the error group gets).</summary>
    public static string CannotTake(string column, string type, in Value v) =>
        $"column '{column}' ({type.ToLowerInvariant()}) cannot take a {v.Kind.ToString().ToLowerInvariant()} value";
}
