using Wp.Core.Records;

namespace Wp.Core.Rescue;

/// <summary>
/// Writes one sink's diverted records to rescue files (docs/configuration.md "Rescue files"). A file
/// is opened as <c>&lt;root&gt;/&lt;sink&gt;-&lt;time&gt;[-seq].dat.lock</c> and held under an exclusive lock while open; it is
/// sealed (flush, fsync, rename to <c>.dat</c>, fsync the folder) by <see cref="Seal"/>, by
/// <see cref="Dispose"/>, and after a batch that takes it past <c>maxFileBytes</c>. The next
/// <see cref="Write"/> after a seal opens a new file.
/// </summary>
/// <remarks>
/// <para><b>Live-writer detection.</b> The file is opened with <see cref="FileShare.None"/> (on Windows
/// <see cref="FileShare.Delete"/>, so that the writer itself may rename it while open). On Unix .NET
/// backs <see cref="FileShare.None"/> with an advisory <c>flock(LOCK_EX)</c>, on Windows the share mode
/// is mandatory. So wprescue tells a live writer from an orphan by opening the <c>.dat.lock</c> with
/// <see cref="FileShare.None"/>: that fails with an <see cref="IOException"/> while a writer holds it, and
/// succeeds once the writer died (the kernel drops the lock with the process). The advisory lock only
/// binds processes that ask for it, i.e. other .NET processes (or <c>flock</c> users), and is disabled
/// if <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is set.</para>
/// <para><b>Crash safety.</b> Each batch is encoded into a pooled buffer and written with one
/// unbuffered write, so after a <c>kill -9</c> the file holds whole entries except possibly a torn
/// last line. Sealing renames while the lock is still held, so a live writer's file is never seen
/// unlocked under its <c>.dat.lock</c> name.</para>
/// Not thread-safe: one caller at a time (the sink runtime).
/// </remarks>
internal sealed class RescueWriter : IDisposable
{
    private const int MaxSeq = 100_000;

    private readonly string _root;
    private readonly string _sinkName;
    private readonly long _maxFileBytes;
    private readonly TimeProvider _time;
    private readonly PooledByteBuffer _buffer = new();
    private readonly WriteBehind _writeBehind = new();
    private readonly List<int> _entryEnds = [];
    private readonly List<string> _sealed = [];
    private FileStream? _stream;
    private RescueFileName _name;
    private string? _path;

    /// <param name="rescueRoot">Folder of the rescue files; created on first open if missing.</param>
    /// <param name="sinkName">The sink the records belong to (<c>[A-Za-z0-9_.]+</c>).</param>
    /// <param name="maxFileBytes">A file is sealed after the batch that reaches this size.</param>
    /// <param name="time">Clock for the file names (UTC).</param>
    public RescueWriter(string rescueRoot, string sinkName, long maxFileBytes, TimeProvider time)
    {
        if (!RescueFileName.IsValidSinkName(sinkName))
        {
            throw new ArgumentException($"invalid sink name '{sinkName}'", nameof(sinkName));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFileBytes);
        _root = Path.GetFullPath(rescueRoot);
        _sinkName = sinkName;
        _maxFileBytes = maxFileBytes;
        _time = time;
    }

    public string RescueRoot => _root;

    public string SinkName => _sinkName;

    /// <summary>The open <c>.dat.lock</c> file, or null when none is open.</summary>
    public string? CurrentPath => _path;

    public bool IsOpen => _stream is not null;

    /// <summary>Bytes in the open file.</summary>
    public long CurrentFileBytes { get; private set; }

    /// <summary>Entries in the open file.</summary>
    public long CurrentFileRecords { get; private set; }

    /// <summary>Entries written over this writer's life, across files.</summary>
    public long RecordsWritten { get; private set; }

    /// <summary>Paths of the files this writer sealed, oldest first.</summary>
    public IReadOnlyList<string> SealedFiles => _sealed;

    /// <summary>Opens a new rescue file unless one is open; returns its path.</summary>
    /// <exception cref="RescueUnavailableException">The folder cannot be created or written.</exception>
    public string Open()
    {
        if (_stream is not null)
        {
            return _path!;
        }

        try
        {
            Directory.CreateDirectory(_root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new RescueUnavailableException(_root, "cannot create the rescue folder: " + ex.Message, ex);
        }

        var first = new RescueFileName(_sinkName, _time.GetUtcNow().UtcDateTime);
        for (var seq = 0; seq < MaxSeq; seq++)
        {
            var name = first.WithSeq(seq);
            if (NameTaken(name))
            {
                continue;
            }

            var path = Path.Combine(_root, name.ToString());
            try
            {
                _stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, // never clobber: a lost race for a name moves on to the next seq
                    Access = FileAccess.Write,
                    Share = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None,
                    BufferSize = 0, // we buffer a whole batch ourselves: one write(2) per batch
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RescueUnavailableException(path, "cannot create the rescue file: " + ex.Message, ex);
            }

            _name = name;
            _path = path;
            CurrentFileBytes = 0;
            CurrentFileRecords = 0;
            return path;
        }

        throw new RescueUnavailableException(_root, $"more than {MaxSeq} rescue files named {first} in one second");
    }

    /// <summary>
    /// Appends the batch as entries with one write, opening a file if none is open; seals the file
    /// afterwards if it reached <c>maxFileBytes</c>.
    /// </summary>
    /// <exception cref="RescueUnavailableException">The file cannot be opened or written; the batch may be partly written.</exception>
    public void Write(IReadOnlyList<Record> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        Open();
        _buffer.Clear();
        _entryEnds.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            RescueEntryCodec.Encode(batch[i], _buffer);
            _entryEnds.Add(_buffer.Length);
        }

        try
        {
            _stream!.Write(_buffer.WrittenSpan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RescueUnavailableException(_path!, "write failed: " + ex.Message, ex) { PartlyStored = CutBackAfterFailedWrite() };
        }

        CurrentFileBytes += _buffer.Length;
        _writeBehind.Written(_stream, CurrentFileBytes);
        CurrentFileRecords += batch.Count;
        RecordsWritten += batch.Count;
        if (_buffer.Length > 1024 * 1024)
        {
            // Do not keep a huge rented array alive for the writer's whole life.
            _buffer.Dispose();
        }

        if (CurrentFileBytes >= _maxFileBytes)
        {
            Seal();
        }
    }

    /// <summary>
    /// After a write that failed part-way (disk full): cut the file back to the entries written before,
    /// so that it holds exactly what was counted as stored and the failed batch is wholly "not stored".
    /// When even that fails, returns how many of the batch's entries are whole in the file (they count as
    /// stored; a torn tail is trimmed when wprescue adopts the file), so the "not stored" count stays exact.
    /// </summary>
    private int CutBackAfterFailedWrite()
    {
        var stream = _stream!;
        try
        {
            stream.SetLength(CurrentFileBytes);
            stream.Seek(CurrentFileBytes, SeekOrigin.Begin);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            long length;
            try
            {
                length = stream.Length;
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                return 0;
            }

            var written = length - CurrentFileBytes;
            var whole = 0;
            while (whole < _entryEnds.Count && _entryEnds[whole] <= written)
            {
                whole++;
            }

            RecordsWritten += whole;
            // Nothing more may go after a torn tail: close without sealing; wprescue adopts the .dat.lock,
            // trimming the tail, once nobody holds it.
            stream.Dispose();
            _stream = null;
            _path = null;
            CurrentFileBytes = 0;
            CurrentFileRecords = 0;
            return whole;
        }
    }

    /// <summary>
    /// Seals the open file: flush, fsync, rename <c>.dat.lock</c> → <c>.dat</c> (while still holding the
    /// lock), fsync the folder, close. Returns the sealed path; null when no file was open. A file with
    /// no entries is deleted instead (returns null).
    /// </summary>
    /// <exception cref="RescueUnavailableException">Sealing failed; the <c>.dat.lock</c> stays for wprescue to adopt.</exception>
    public string? Seal()
    {
        var stream = _stream;
        if (stream is null)
        {
            return null;
        }

        var openPath = _path!;
        var sealedPath = Path.Combine(_root, _name.AsSealed().ToString());
        try
        {
            if (CurrentFileRecords == 0)
            {
                File.Delete(openPath);
                return null;
            }

            stream.Flush(flushToDisk: true);
            File.Move(openPath, sealedPath, overwrite: false);
            NativeFiles.SyncFolder(_root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RescueUnavailableException(openPath, "sealing failed: " + ex.Message, ex);
        }
        finally
        {
            stream.Dispose();
            _stream = null;
            _path = null;
            CurrentFileBytes = 0;
            CurrentFileRecords = 0;
        }

        _sealed.Add(sealedPath);
        return sealedPath;
    }

    /// <summary>Seals the open file, if any, and releases the buffer.</summary>
    /// <exception cref="RescueUnavailableException">Sealing failed (see <see cref="Seal"/>).</exception>
    public void Dispose()
    {
        try
        {
            Seal();
        }
        finally
        {
            _buffer.Dispose();
        }
    }

    private bool NameTaken(RescueFileName name)
    {
        // Check both time forms: a folder may hold files written on the other platform family.
        foreach (var windowsForm in (ReadOnlySpan<bool>)[false, true])
        {
            if (File.Exists(Path.Combine(_root, name.AsOpen().Format(windowsForm)))
                || File.Exists(Path.Combine(_root, name.AsSealed().Format(windowsForm))))
            {
                return true;
            }
        }

        return false;
    }
}
