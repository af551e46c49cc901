using System.Buffers;
using System.Text;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Rescue;

namespace Wp.Core.Sinks.Files;

/// <summary>
/// Appends records to one file, one formatted line per record (docs/configuration.md: the file
/// connectors and their output formats).
/// </summary>
/// <remarks>
/// <para><b>One batch, one write.</b> <see cref="WriteAsync"/> formats the whole batch into a
/// reused <see cref="TextBuffer"/>, encodes it to UTF-8 into a pooled byte buffer and hands it to
/// the OS in a single write on an <i>unbuffered</i> stream. Nothing is held in user space across
/// batches on purpose: if bytes of an acknowledged batch sat in a stream buffer, a later failing
/// write would lose them while the runtime believed them delivered (breaking the accounting of
/// docs/restarts.md). The batch buffer is the large buffer. Once <see cref="WriteAsync"/> returns,
/// the data survives a crash of this process (it is in the OS page cache); only
/// <see cref="DisposeAsync"/> fsyncs it to disk.</para>
/// <para><b>Failure.</b> Errors surface as the exceptions the file system throws
/// (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>); the sink runtime
/// classifies them. Cancellation is honoured only before the write starts, so a batch is either
/// handed to the OS whole or the call throws. After a failed write the stream is closed and the
/// next <see cref="WriteAsync"/> or <see cref="ProbeAsync"/> re-opens the file, so a transient
/// failure is recoverable.</para>
/// <para><b>Several writers.</b> wparse and wprescue may append to the same target at the same
/// time (a daemon keeps parsing while rescue files are replayed into its sink). Each batch is
/// therefore written under an exclusive byte-range lock on the whole file (fcntl on Linux,
/// LockFileEx on Windows), at the file's current end, so writers' batches never overlap. .NET
/// offers no byte-range locks on macOS: there, keep one writer per file.</para>
/// <para><b>Partial OS writes.</b> A write can fail part-way (e.g. ENOSPC after some bytes
/// landed). Still holding the lock, the backend cuts the file back to where the batch started —
/// the runtime diverts the whole failed batch, so nothing is lost and no half record stays. If
/// that cut fails too, or the process dies mid-write, the torn tail stays; the next writer that
/// finds a file not ending in <c>\n</c> first writes a <c>\n</c>, so the fragment is one bad line
/// and never merges with a good record.</para>
/// <para><b>Threading.</b> One writer per sink: calls must not overlap (the sink runtime's single
/// loop guarantees that). Only <see cref="LinesWritten"/> may be read from any thread. The file is
/// shared for reading and writing so <c>wc -l</c>, tail and other writers can open it.</para>
/// </remarks>
internal sealed class FileSinkBackend : ISinkBackend
{
    private readonly IRecordFormatter _formatter;
    private readonly TextBuffer _text = new();
    private readonly WriteBehind _writeBehind = new();
    private byte[] _bytes = [];
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private FileStream? _stream;
    private long _linesWritten;
    private bool _disposed;

    /// <summary>
    /// Creates the backend without touching the file system; the file is opened by the first write
    /// or probe. Throws <see cref="ArgumentException"/> for an empty path or an unknown format.
    /// </summary>
    public FileSinkBackend(FileSinkOptions options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options));
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _formatter = RecordFormatters.ForName(options.Format);
    }

    /// <summary>The absolute path of the output file.</summary>
    public string FilePath { get; }

    /// <summary>Records (one line each) handed to the OS by successful writes. Safe to read from any thread.</summary>
    public long LinesWritten => Interlocked.Read(ref _linesWritten);

    /// <summary>
    /// Internal seam for tests: performs the single write of a batch's bytes. Asynchronous on purpose:
    /// on Unix it runs on a pool thread, so a write that hangs (a stuck network file system) leaves the
    /// sink runtime's write timeout able to give up on it and divert the batch. A blocking write here
    /// saves a thread hop per batch (measurable in a replay) but would hang the sink instead.
    /// </summary>
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
        await LockWholeFileAsync(stream, cancellationToken);
        var start = 0L;
        try
        {
            // Another process may have appended since our last batch: write at the end as it is now.
            start = AppendPosition(stream);
            stream.Seek(start, SeekOrigin.Begin);

            // Not cancellable once started: the batch is handed over whole or the call throws.
            await WriteBytes(stream, _bytes.AsMemory(0, byteCount));
        }
        catch
        {
            TryCutBack(stream, start);
            Fault(); // closing the handle also releases the lock
            throw;
        }

        if (!OperatingSystem.IsMacOS())
        {
            stream.Unlock(0, long.MaxValue);
        }

        _writeBehind.Written(stream, start + byteCount);
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

    /// <summary>Fsyncs the file (before wprescue deletes a replayed rescue file). Throws when the fsync fails.</summary>
    public ValueTask SyncAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _stream?.Flush(flushToDisk: true);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
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

        // Unbuffered (see remarks); writes are positioned at the end under a lock, batch by batch.
        var stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        _stream = stream;
        return stream;
    }

    /// <summary>
    /// The end of the file, after closing a torn last line a crashed writer may have left (so our
    /// first record starts on a line of its own). Called with the lock held.
    /// </summary>
    private static long AppendPosition(FileStream stream)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        Span<byte> last = stackalloc byte[1];
        if (RandomAccess.Read(stream.SafeFileHandle, last, length - 1) == 1 && last[0] == (byte)'\n')
        {
            return length;
        }

        RandomAccess.Write(stream.SafeFileHandle, "\n"u8, length);
        return length + 1;
    }

    /// <summary>
    /// Waits (bounded by <see cref="LockWait"/> on the injected clock, without blocking a thread) for the
    /// exclusive lock other writers of the file hold while they append a batch.
    /// </summary>
    private async ValueTask LockWholeFileAsync(FileStream stream, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsMacOS())
        {
            return; // .NET has no byte-range locks there: one writer per file on macOS (see remarks).
        }

        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                stream.Lock(0, long.MaxValue);
                return;
            }
            catch (IOException) when (_time.GetElapsedTime(started) < LockWait)
            {
                // Another process is appending a batch: a short wait, then try again.
                await Task.Delay(TimeSpan.FromMilliseconds(1), _time, cancellationToken);
            }
        }
    }

    /// <summary>Removes a torn batch; the lock is still held, so nothing was appended after it.</summary>
    private static void TryCutBack(FileStream stream, long start)
    {
        try
        {
            if (stream.Length > start)
            {
                stream.SetLength(start);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The handle is broken too; the next writer closes the torn line instead (see remarks).
        }
    }

    private void Fault()
    {
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
