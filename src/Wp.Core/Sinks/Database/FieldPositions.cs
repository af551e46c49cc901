using Wp.Core.Records;

namespace Wp.Core.Sinks.Database;

/// <summary>
/// Where each table column's field is in a record, found by name once per record shape: records
/// made by one rule carry the same field names in the same order, so the positions found for one
/// record hold for the next while its names are the same strings (a reference compare per field).
/// </summary>
internal sealed class FieldPositions
{
    private string[] _columns = [];
    private int[] _positions = [];
    private string[]? _shape; // null: no positions found yet for these columns

    /// <summary>
    /// For each of <paramref name="columns"/>, the index of the first field of <paramref name="record"/>
    /// with that name (as <see cref="Record.IndexOf"/>), or -1. Valid until the next call.
    /// </summary>
    public ReadOnlySpan<int> Of(Record record, string[] columns)
    {
        if (!ReferenceEquals(columns, _columns))
        {
            _columns = columns;
            _positions = new int[columns.Length];
            _shape = null;
        }

        var fields = record.FieldSpan;
        if (!IsShape(fields))
        {
            _shape = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                _shape[i] = fields[i].Name;
            }

            for (var c = 0; c < columns.Length; c++)
            {
                _positions[c] = record.IndexOf(columns[c]);
            }
        }

        return _positions;
    }

    private bool IsShape(ReadOnlySpan<Field> fields)
    {
        if (_shape is null || fields.Length != _shape.Length)
        {
            return false;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (!ReferenceEquals(fields[i].Name, _shape[i]))
            {
                return false;
            }
        }

        return true;
    }
}
