using System.Globalization;
using System.Net;
using Wp.Core.Records;

namespace Wp.Core.Sinks.Database;

/// <summary>What a database column holds, as far as a sink converts values (SPEC §7.4).</summary>
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

    /// <summary>
    /// Converts the field <paramref name="name"/> of <paramref name="record"/> for a column of
    /// <paramref name="kind"/>: null when the record lacks it (SQL NULL). False with a reason when
    /// the value cannot be that kind (the record then goes to the error group).
    /// </summary>
    public static bool TryGet(Record record, string name, ColumnKind kind, out object? value, out string? error)
    {
        error = null;
        value = null;
        if (record.Find(name) is not { } field || field.Value.Kind == ValueKind.Ignore)
        {
            return true;
        }

        var v = field.Value;
        switch (kind)
        {
            case ColumnKind.Text:
                value = v.ToString();
                return true;
            case ColumnKind.Int:
                if (v.Kind == ValueKind.Int)
                {
                    value = v.AsInt;
                    return true;
                }

                if (v.Kind is ValueKind.String && long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                    return true;
                }

                if (v.Kind == ValueKind.Bool)
                {
                    value = v.AsBool ? 1L : 0L;
                    return true;
                }

                break;
            case ColumnKind.Float:
                if (v.Kind is ValueKind.Float or ValueKind.Int)
                {
                    value = v.Kind == ValueKind.Int ? v.AsInt : v.AsFloat;
                    return true;
                }

                if (v.Kind is ValueKind.String && double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    value = d;
                    return true;
                }

                break;
            case ColumnKind.Bool:
                if (v.Kind == ValueKind.Bool)
                {
                    value = v.AsBool;
                    return true;
                }

                if (v.Kind == ValueKind.Int && v.AsInt is 0 or 1)
                {
                    value = v.AsInt == 1;
                    return true;
                }

                if (v.Kind is ValueKind.String && bool.TryParse(v.Text, out var b))
                {
                    value = b;
                    return true;
                }

                break;
            case ColumnKind.Time:
                if (v.Kind == ValueKind.DateTime)
                {
                    value = v.AsUtcDateTime;
                    return true;
                }

                break;
            case ColumnKind.Ip:
                if (v.Kind is ValueKind.Ip or ValueKind.String && IPAddress.TryParse(v.Text, out var ip))
                {
                    value = ip;
                    return true;
                }

                break;
        }

        error = $"column '{name}' ({kind.ToString().ToLowerInvariant()}) cannot take a {v.Kind.ToString().ToLowerInvariant()} value";
        return false;
    }
}
