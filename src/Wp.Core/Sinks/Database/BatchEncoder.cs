using System.Buffers;
using System.Globalization;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Rescue;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.Database;

/// <summary>
/// Encodes a batch of records as rows of a database's bulk-load format into one reusable buffer,
/// each value straight from the record (no boxed values, no driver call per value). A value a
/// column cannot take rejects its record before anything is sent.
/// </summary>
/// <remarks>
/// Rows are kept as byte ranges, so the bisection that isolates rows the server refuses
/// (<see cref="RejectIsolation"/>) re-sends slices without encoding again. The encoded batch is
/// valid until the next <see cref="Encode"/>; a backend runs each write through
/// <see cref="ExclusiveAsync"/>, so one write at a time uses the buffer.
/// </remarks>
/// <typeparam name="TColumn">The provider's description of a table column.</typeparam>
internal abstract class BatchEncoder<TColumn> : IAsyncDisposable
{
    private readonly List<int> _rowEnds = [];
    private readonly SemaphoreSlim _inUse = new(1, 1);
    private readonly FieldPositions _positions = new();
    private TColumn[] _columns = [];
    private string[] _names = [];

    protected PooledByteBuffer Buffer { get; } = new();

    /// <summary>Rows encoded by the last <see cref="Encode"/>.</summary>
    public int RowCount => _rowEnds.Count;

    /// <summary>The record of each encoded row (same index).</summary>
    public List<Record> Records { get; } = [];

    /// <summary>Records refused before sending, and then those the server refused.</summary>
    public List<RejectedRecord> Rejected { get; } = [];

    /// <summary>Encodes <paramref name="batch"/> for <paramref name="columns"/>, replacing the previous batch.</summary>
    public void Encode(IReadOnlyList<Record> batch, TColumn[] columns, string label)
    {
        Clear();
        Append(batch, columns, label);
    }

    /// <summary>Reports the records refused so far (<see cref="Rejected"/>), if any.</summary>
    /// <exception cref="SinkRecordsRejectedException">Some were refused.</exception>
    public void ThrowIfRejected()
    {
        if (Rejected.Count > 0)
        {
            throw new SinkRecordsRejectedException([.. Rejected]);
        }
    }

    /// <summary>Drops every encoded row.</summary>
    public void Clear()
    {
        Buffer.Clear();
        _rowEnds.Clear();
        Records.Clear();
        Rejected.Clear();
    }

    /// <summary>
    /// Encodes <paramref name="batch"/> after the rows already encoded (a statement that spans
    /// several writes); <see cref="Rejected"/> then holds this batch's refused records only.
    /// </summary>
    public void Append(IReadOnlyList<Record> batch, TColumn[] columns, string label)
    {
        Rejected.Clear();
        foreach (var record in batch)
        {
            var start = Buffer.Length;
            if (TryEncodeRow(record, columns, out var error))
            {
                _rowEnds.Add(Buffer.Length);
                Records.Add(record);
            }
            else
            {
                Buffer.Truncate(start);
                Rejected.Add(new RejectedRecord(record, $"{label}: {error}"));
            }
        }
    }

    /// <summary>The field of each column in <paramref name="record"/>: its index, or -1 (see <see cref="ColumnValues.TryAt"/>).</summary>
    protected ReadOnlySpan<int> FieldsOf(Record record, TColumn[] columns)
    {
        if (!ReferenceEquals(columns, _columns))
        {
            _columns = columns;
            _names = Array.ConvertAll(columns, NameOf);
        }

        return _positions.Of(record, _names);
    }

    /// <summary>Writes <paramref name="value"/> in its invariant UTF-8 form; true, for use in a condition.</summary>
    protected bool WriteFormatted<T>(T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        int written;
        while (!value.TryFormat(Buffer.GetSpan(64), out written, format, CultureInfo.InvariantCulture))
        {
            Buffer.GetSpan(1024);
        }

        Buffer.Advance(written);
        return true;
    }

    /// <summary>
    /// Writes <paramref name="text"/> as UTF-8, each char of <paramref name="special"/> as a backslash
    /// and the byte <paramref name="escape"/> gives for it (the text formats' escaping).
    /// </summary>
    protected void WriteEscaped(ReadOnlySpan<char> text, SearchValues<char> special, Func<char, byte> escape)
    {
        while (!text.IsEmpty)
        {
            var at = text.IndexOfAny(special);
            var plain = at < 0 ? text : text[..at];
            Buffer.Advance(Encoding.UTF8.GetBytes(plain, Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length))));
            if (at < 0)
            {
                return;
            }

            Buffer.Write((byte)'\\');
            Buffer.Write(escape(text[at]));
            text = text[(at + 1)..];
        }
    }

    /// <summary>The column's name, which is the name of the field it takes.</summary>
    protected abstract string NameOf(TColumn column);

    /// <summary>
    /// The encoded rows in consecutive runs of at most <paramref name="maxBytes"/> bytes each (a row
    /// longer than that is a run of its own): one statement each where the server limits a statement's size.
    /// </summary>
    public IEnumerable<(int Start, int Count)> Runs(long maxBytes)
    {
        var start = 0;
        var from = 0;
        for (var row = 0; row < _rowEnds.Count; row++)
        {
            if (row > start && _rowEnds[row] - from > maxBytes)
            {
                yield return (start, row - start);
                start = row;
                from = _rowEnds[row - 1];
            }
        }

        if (start < _rowEnds.Count)
        {
            yield return (start, _rowEnds.Count - start);
        }
    }

    /// <summary>Bytes encoded so far.</summary>
    public int ByteCount => Buffer.Length;

    /// <summary>The encoded bytes [start, end).</summary>
    public ReadOnlyMemory<byte> Bytes(int start, int end) => Buffer.WrittenMemory[start..end];

    /// <summary>The bytes of rows [start, start+count).</summary>
    public ReadOnlyMemory<byte> Rows(int start, int count) => Buffer.WrittenMemory[RowStart(start).._rowEnds[start + count - 1]];

    private int RowStart(int row) => row == 0 ? 0 : _rowEnds[row - 1];

    /// <summary>
    /// Runs one write that uses this encoder. A write the sink runtime stopped waiting for (its
    /// write timeout) ends before the next one encodes: the buffer is reused.
    /// </summary>
    public async ValueTask ExclusiveAsync(Func<ValueTask> write, CancellationToken cancellationToken)
    {
        await _inUse.WaitAsync(cancellationToken);
        try
        {
            await write();
        }
        finally
        {
            _inUse.Release();
        }
    }

    /// <summary>Returns the buffer to the pool once no write uses it (the backend's own timeouts bound an abandoned one).</summary>
    public async ValueTask DisposeAsync()
    {
        await _inUse.WaitAsync();
        Buffer.Dispose();
    }

    /// <summary>Appends one row; false with the reason when a value cannot go into its column (the caller drops what was appended).</summary>
    protected abstract bool TryEncodeRow(Record record, TColumn[] columns, out string? error);
}
