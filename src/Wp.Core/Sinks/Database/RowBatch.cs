using Wp.Core.Records;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.Database;

/// <summary>
/// A batch converted to typed rows for a list of columns. A record whose value a column cannot
/// take is left out of <see cref="Rows"/> and put in <see cref="Rejected"/> with the reason.
/// </summary>
internal sealed class RowBatch
{
    private RowBatch(List<object?[]> rows, List<Record> records, List<RejectedRecord> rejected)
    {
        Rows = rows;
        Records = records;
        Rejected = rejected;
    }

    /// <summary>One value per column, null for SQL NULL.</summary>
    public List<object?[]> Rows { get; }

    /// <summary>The record of each row (same index).</summary>
    public List<Record> Records { get; }

    /// <summary>Records refused before sending, and later those the database refused.</summary>
    public List<RejectedRecord> Rejected { get; }

    /// <param name="convert">Turns a value from <see cref="ColumnValues.TryGet"/> into what the driver writes for that column; returns false with a reason to reject it.</param>
    public static RowBatch From(IReadOnlyList<Record> batch, IReadOnlyList<TableColumn> columns, string label, ConvertValue? convert = null)
    {
        var rows = new List<object?[]>(batch.Count);
        var records = new List<Record>(batch.Count);
        var rejected = new List<RejectedRecord>();
        foreach (var record in batch)
        {
            var row = new object?[columns.Count];
            string? error = null;
            for (var c = 0; c < columns.Count && error is null; c++)
            {
                if (!ColumnValues.TryGet(record, columns[c].Name, columns[c].Kind, out var value, out error))
                {
                    break;
                }

                if (value is not null && convert is not null && !convert(c, value, out value, out error))
                {
                    break;
                }

                row[c] = value;
            }

            if (error is null)
            {
                rows.Add(row);
                records.Add(record);
            }
            else
            {
                rejected.Add(new RejectedRecord(record, $"{label}: {error}"));
            }
        }

        return new RowBatch(rows, records, rejected);
    }

    /// <summary>Throws <see cref="SinkRecordsRejectedException"/> when any record was rejected (after the rest were written).</summary>
    public void ThrowIfRejected()
    {
        if (Rejected.Count > 0)
        {
            throw new SinkRecordsRejectedException(Rejected);
        }
    }
}

/// <summary>Converts a column value for the driver; false with a reason when the column cannot take it.</summary>
internal delegate bool ConvertValue(int column, object value, out object? converted, out string? error);
