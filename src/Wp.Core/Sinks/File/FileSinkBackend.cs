using System.Buffers;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;

namespace Wp.Core.Sinks.Files;

/// <summary>
/// Appends records to one file, one formatted line per record (SPEC §7.1, §7.2).
/// </summary>
/// <remarks>
/// <para><b>One batch, one write.</b> <see cref="WriteAsync"/> formats the whole batch into a
/// reused <see cref="TextBuffer"/>, encodes it to UTF-8 into a pooled byte buffer and hands it to
/// the OS in a single write on an <i>unbuffered</i> stream. Nothing is held in user space across
/// batches on purpose: if bytes of an acknowledged batch sat in a stream buffer, a later failing
/// write would lose them while the runtime believed them delivered (breaking SPEC §8.5). The batch
/// buffer is the large buffer. Once <see cref="WriteAsync"/> returns, the data survives a crash of
/// this process (it is in the OS page cache); only <see cref="DisposeAsync"/> fsyncs it to disk.</para>
/// <para><b>Failure.</b> Errors surface as the exceptions the file system throws
/// (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>); the sink runtime
/// classifies them. Cancellation is honoured only before the write starts, so a batch is either
/// handed to the OS whole or the call throws. After a failed write the stream is closed and the
/// next <see cref="WriteAsync"/> or <see cref="ProbeAsync"/> re-opens the file, so a transient
/// failure is recoverable.</para>
/// <para><b>Partial OS writes.</b> A write can fail part-way (e.g. ENOSPC after some bytes
/// landed), leaving a torn prefix of the failed batch in the file. The backend remembers where
/// the last good batch ended and, when it re-opens, truncates the file back to that point — the
/// runtime has diverted the whole failed batch, so nothing is lost and no half record stays in
/// front of the next batch. If the process dies before re-opening, the torn tail stays; the next
/// instance that opens a file not ending in <c>\n</c> first writes a <c>\n</c>, so the fragment is
/// one bad line and never merges with a good record.</para>
/// <para><b>Threading.</b> One writer per sink: calls must not overlap (the sink runtime's single
/// loop guarantees that), so there is no locking. Only <see cref="LinesWritten"/> may be read from
/// any thread. The file is opened with <see cref="FileShare.Read"/> so <c>wc -l</c> and tail can
/// read it while it grows. Two writers must never share a file, even across processes: .NET
/// positions writes itself rather than using O_APPEND, so they would overwrite each other.</para>
/// </remarks>
internal sealed class FileSinkBackend : ISinkBackend
{
    private readonly IRecordFormatter _formatter;
    private readonly TextBuffer _text = new();
    private byte[] _bytes = [];
    private FileStream? _stream;
    private long _goodLength;
    private long? _truncateTo;
    private long _linesWritten;
    private bool _disposed;

    /// <summary>
    /// Creates the backend without touching the file system; the file is opened by the first write
    /// or probe. Throws <see cref="ArgumentException"/> for an empty path or an unknown format.
    /// </summary>
    public FileSinkBackend(FileSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options));
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _formatter = RecordFormatters.ForName(options.Format);
    }

    /// <summary>The absolute path of the output file.</summary>
    public string FilePath { get; }

    /// <summary>Records (one line each) handed to the OS by successful writes. Safe to read from any thread.</summary>
    public long LinesWritten => Interlocked.Read(ref _linesWritten);

    /// <summary>Internal seam for tests: performs the single write of a batch's bytes.</summary>
    internal Func<Stream, ReadOnlyMemory<byte>, ValueTask> WriteBytes { get; init; } =
        static (stream, bytes) => stream.WriteAsync(bytes, CancellationToken.None);

    /// <summary>
    /// Formats and writes the whole batch with one OS write; creates missing folders and
    /// (re-)opens the file when needed. Throws on failure; the batch is then not acknowledged.
    /// </summary>
    public async ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count == 0)
        {
            return;
        }

        var byteCount = FormatAndEncode(batch);
        var stream = EnsureOpen();
        try
        {
            // Not cancellable once started: the batch is handed over whole or the call throws.
            await WriteBytes(stream, _bytes.AsMemory(0, byteCount));
        }
        catch
        {
            Fault();
            throw;
        }

        _goodLength += byteCount;
        Interlocked.Add(ref _linesWritten, batch.Count);
    }

    /// <summary>
    /// Pushes buffered bytes to the OS. Every successful write has already done so (the stream is
    /// unbuffered), so this only surfaces a pending stream error; it never fsyncs.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stream is { } stream)
        {
            await stream.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Completes at once while the file is open and healthy; otherwise creates missing folders and
    /// opens the file for append (keeping it open for the next write). Throws when that fails.
    /// </summary>
    public ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        // Failures go into the returned ValueTask, never thrown from the call itself.
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            EnsureOpen();
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>Fsyncs and closes the file and returns the pooled buffers. Throws if the fsync fails (the file is closed anyway).</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        var stream = _stream;
        _stream = null;
        try
        {
            stream?.Flush(flushToDisk: true);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
        finally
        {
            stream?.Dispose();
            _text.Dispose();
            ReturnBytes();
        }
    }

    private int FormatAndEncode(IReadOnlyList<Record> batch)
    {
        _text.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            _formatter.Format(batch[i], _text);
        }

        var needed = Encoding.UTF8.GetMaxByteCount(_text.Length);
        if (_bytes.Length < needed)
        {
            ReturnBytes();
            _bytes = ArrayPool<byte>.Shared.Rent(needed);
        }

        return Encoding.UTF8.GetBytes(_text.Span, _bytes);
    }

    private FileStream EnsureOpen()
    {
        if (_stream is { } open)
        {
            return open;
        }

        var folder = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // OpenOrCreate + seek to the end is append for the single writer, and unlike
        // FileMode.Append it allows truncating a torn batch. bufferSize 0 = unbuffered (see remarks).
        var stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            var length = stream.Length;
            if (_truncateTo is { } good && length > good)
            {
                // Our own failed write left a torn batch after the last good one: drop it.
                stream.SetLength(good);
                length = good;
            }

            stream.Seek(length, SeekOrigin.Begin);
            if (length > 0 && !EndsWithNewline(stream, length))
            {
                // A torn tail left by a crashed writer: close its line so our first record starts clean.
                stream.WriteByte((byte)'\n');
                length++;
            }

            _truncateTo = null;
            _goodLength = length;
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        return stream;
    }

    private static bool EndsWithNewline(FileStream stream, long length)
    {
        Span<byte> last = stackalloc byte[1];
        var read = RandomAccess.Read(stream.SafeFileHandle, last, length - 1);
        return read == 1 && last[0] == (byte)'\n';
    }

    private void Fault()
    {
        _truncateTo = _goodLength;
        var stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // The write error is the one worth reporting; closing a broken handle may fail too.
        }
    }

    private void ReturnBytes()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
        }

        _bytes = [];
    }
}
