using System.Text.Json;
using Serilog;
using Wp.Core.Rescue;

namespace Wp.Core.Recovery;

/// <summary>
/// How far one rescue file has been replayed: every line before <see cref="Offset"/> (a byte offset
/// just past a <c>\n</c>) has been delivered to the target and flushed.
/// </summary>
/// <param name="File">Bare name of the <c>.dat</c> file in the rescue folder.</param>
/// <param name="Offset">Bytes done.</param>
/// <param name="Lines">Lines done (line numbers continue from here after a resume).</param>
/// <param name="Size">The file's size when the position was taken: sealed files never change, so a
/// different size means a different file under the same name and the position does not apply.</param>
/// <param name="Clean">True when written by a graceful stop: nothing after <paramref name="Offset"/>
/// was sent, so a resume re-sends nothing. False for the periodic checkpoints of a running replay, after
/// which up to <c>checkpoint_every_lines</c> records may already be in the target if the run dies.</param>
internal readonly record struct FilePosition(string File, long Offset, long Lines, long Size, bool Clean = false)
{
    public bool IsValid =>
        !string.IsNullOrEmpty(File) && File.IndexOfAny(['/', '\\']) < 0 && Offset >= 0 && Lines >= 0 && Offset <= Size;
}

/// <summary>
/// The recovery checkpoint <c>&lt;rescue_root&gt;/recover.lock</c> (docs/restarts.md, wprescue): one JSON object naming
/// the file being replayed and the byte offset done, plus the positions of other partly replayed files.
/// <code>{"v":1,"file":"s-2025-10-04_01:59:24.dat","offset":81920,"lines":1000,"size":524288,"clean":false}</code>
/// The top-level <c>file</c>/<c>offset</c> pair is what <c>wproj rescue stat</c> shows; <c>others</c>
/// (omitted when empty) holds the same fields for each other file that is partly replayed.
/// </summary>
/// <remarks>
/// <para><b>Why several files.</b> Normally one file is in progress and <c>others</c> is absent. But a
/// file whose target fails is left at its last position while other files go on (README, wprescue); with a
/// single slot, starting the next file would overwrite the first one's position and a later retry
/// would re-send its delivered prefix. Keying positions by file name keeps every stopped file exact.
/// The top-level entry is the most recently saved one.</para>
/// <para><b>Atomic write.</b> A <i>durable</i> save writes the whole object to <c>recover.lock.tmp</c>,
/// fsyncs it and renames it over <c>recover.lock</c>, so that after a power loss the file holds a
/// whole checkpoint; the replay asks for one at most every second and at every graceful stop (an
/// fsync per save cost more than the replay's own work). Any other save overwrites recover.lock in
/// place with one write at offset 0 when the checkpoint and the file fit one 512-byte sector (one
/// file's position is about 110 bytes; shorter content is padded with blanks): a write within one
/// page is never cut short by a <c>kill -9</c>, and the page cache survives the process, so the next
/// process reads the old or the new checkpoint, never a torn one (a reader in another process at the
/// instant of the write, <c>wproj rescue stat</c>, may see a torn one and reports it unreadable);
/// after a power loss a sector is on disk whole or not at all. A rename over the old file instead cost about 0.4 ms on ext4 (it writes
/// the new file's data first): a third of what replaying the thousand records a save stands for takes.
/// Bigger checkpoints (many <c>others</c>) and the first save go through the temp file and a rename,
/// which is atomic against crashes too. The folder is not fsynced after the rename: if a
/// power loss undoes renames, an older checkpoint comes back, which re-sends records (bounded
/// duplicates) but never skips any; the target backends do not fsync on flush either, so an older
/// checkpoint is the consistent side.</para>
/// <para><b>Corruption.</b> A checkpoint that does not parse is reported once and ignored (treated as
/// empty, then overwritten by the next save), never a crash (ARCHITECTURE practice 4).</para>
/// Not thread-safe: one caller at a time (the replay loop, or its one background save).
/// </remarks>
internal sealed class CheckpointStore
{
    public const string FileName = "recover.lock";
    public const int Version = 1;

    // What one write can replace whole: a disk writes a sector entirely or not at all, which is why
    // PostgreSQL keeps pg_control within one. A checkpoint of one file is about 110 bytes.
    private const int SectorBytes = 512;

    private readonly ILogger _log;
    private readonly Dictionary<string, FilePosition> _positions = new(StringComparer.Ordinal);
    private string? _current; // the most recently saved file: the top-level entry

    public CheckpointStore(string rescueRoot, ILogger log)
    {
        Folder = Path.GetFullPath(rescueRoot);
        FilePath = Path.Combine(Folder, FileName);
        _log = log;
    }

    public string Folder { get; }

    public string FilePath { get; }

    public IReadOnlyDictionary<string, FilePosition> Positions => _positions;

    /// <summary>Number of successful writes of recover.lock (saves and clears), for tests and stats.</summary>
    public long Writes { get; private set; }

    /// <summary>How many of <see cref="Writes"/> were fsynced (durable saves).</summary>
    public long DurableWrites { get; private set; }

    /// <summary>
    /// Reads recover.lock. A missing file is an empty checkpoint; a corrupt one is logged as an error
    /// and treated as empty. Does not throw for bad content; an unreadable file is logged and ignored.
    /// </summary>
    public void Load()
    {
        _positions.Clear();
        string? error;
        IReadOnlyList<FilePosition> positions;
        try
        {
            var kind = PlainFiles.KindOf(FilePath);
            if (kind == EntryKind.Missing)
            {
                return;
            }

            if (kind != EntryKind.Regular)
            {
                // Never read through a symlink (it could be /dev/zero) or from a FIFO.
                throw new IOException($"it is {PlainFiles.Describe(kind)}");
            }

            if (TryParse(File.ReadAllBytes(FilePath), out positions, out error))
            {
                foreach (var position in positions)
                {
                    _positions[position.File] = position;
                }

                _current = positions.Count > 0 ? positions[0].File : null;
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = "cannot read it: " + ex.Message;
        }

        _log.Error("recover checkpoint {Path:l} is corrupt ({Error:l}); ignoring it: affected files are replayed from their start", FilePath, error);
    }

    /// <summary>The position recorded for <paramref name="file"/> (a bare name), if any.</summary>
    public bool TryGet(string file, out FilePosition position) => _positions.TryGetValue(file, out position);

    /// <summary>Records <paramref name="position"/> and writes the checkpoint atomically.</summary>
    /// <param name="position">The position to record.</param>
    /// <param name="durable">Also fsync it before it replaces the old one (see remarks); false: atomic against crashes only.</param>
    /// <exception cref="IOException">Writing failed; the previous checkpoint file is intact.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing failed; the previous checkpoint file is intact.</exception>
    public void Save(FilePosition position, bool durable = true)
    {
        if (!position.IsValid)
        {
            throw new ArgumentException($"invalid checkpoint position {position}", nameof(position));
        }

        var previous = _positions.TryGetValue(position.File, out var old) ? old : (FilePosition?)null;
        var previousCurrent = _current;
        _positions[position.File] = position;
        _current = position.File;
        try
        {
            Write(durable);
        }
        catch
        {
            _current = previousCurrent;
            // Keep memory equal to what is on disk.
            if (previous is { } p)
            {
                _positions[position.File] = p;
            }
            else
            {
                _positions.Remove(position.File);
            }

            throw;
        }
    }

    /// <summary>
    /// Forgets <paramref name="file"/> and rewrites the checkpoint; deletes recover.lock when no file is
    /// left in it. No-op when the file has no position.
    /// </summary>
    /// <exception cref="IOException">Writing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing failed.</exception>
    public void Clear(string file)
    {
        if (!_positions.Remove(file))
        {
            return;
        }

        Write();
    }

    /// <summary>
    /// Forgets positions of files that are no longer in the folder (their replay finished and the
    /// file was deleted, but a crash came before the checkpoint was cleared). Returns their names.
    /// </summary>
    /// <exception cref="IOException">Rewriting the checkpoint failed.</exception>
    /// <exception cref="UnauthorizedAccessException">Rewriting the checkpoint failed.</exception>
    public IReadOnlyList<string> PruneMissing(Func<string, bool> exists)
    {
        var gone = _positions.Keys.Where(f => !exists(f)).ToList();
        if (gone.Count == 0)
        {
            return gone;
        }

        foreach (var file in gone)
        {
            _positions.Remove(file);
        }

        Write();
        return gone;
    }

    /// <summary>
    /// Parses checkpoint content; the top-level entry comes first in <paramref name="positions"/>. Does
    /// not throw: on bad input returns false with a reason.
    /// </summary>
    public static bool TryParse(byte[] json, out IReadOnlyList<FilePosition> positions, out string? error)
    {
        positions = [];
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("not a JSON object", out error);
            }

            if (!root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != Version)
            {
                return Fail($"\"v\" is not {Version}", out error);
            }

            var list = new List<FilePosition>();
            if (!TryReadEntry(root, "the checkpoint", list, out error))
            {
                return false;
            }

            if (root.TryGetProperty("others", out var others))
            {
                if (others.ValueKind != JsonValueKind.Array)
                {
                    return Fail("\"others\" is not an array", out error);
                }

                foreach (var entry in others.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object || !TryReadEntry(entry, $"others[{list.Count - 1}]", list, out error))
                    {
                        return Fail(error ?? $"others[{list.Count - 1}] is not an object", out error);
                    }
                }
            }

            positions = list;
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            return Fail("not JSON: " + ex.Message, out error);
        }
    }

    /// <summary>The checkpoint content: <paramref name="current"/> at the top level, the rest in <c>others</c>.</summary>
    public static byte[] Serialize(FilePosition current, IEnumerable<FilePosition> others)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            WriteEntry(writer, current);
            var rest = others.Where(p => p.File != current.File).OrderBy(p => p.File, StringComparer.Ordinal).ToList();
            if (rest.Count > 0)
            {
                writer.WriteStartArray("others");
                foreach (var p in rest)
                {
                    writer.WriteStartObject();
                    WriteEntry(writer, p);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private void Write(bool durable = true)
    {
        if (_positions.Count == 0)
        {
            File.Delete(FilePath);
            Writes++;
            return;
        }

        var current = _current is not null && _positions.TryGetValue(_current, out var top)
            ? top
            : _positions.Values.OrderBy(p => p.File, StringComparer.Ordinal).First();
        var content = Serialize(current, _positions.Values);
        if (!durable && TryOverwriteInPlace(content))
        {
            Writes++;
            return;
        }

        // temp → (fsync) → rename: recover.lock is always a whole checkpoint (see remarks).
        var temp = FilePath + ".tmp";
        using (var handle = CreateTemp(temp))
        {
            // One handle and one write: a save happens once per checkpoint_every_lines lines, and the
            // next write to the target waits for it.
            RandomAccess.Write(handle, content, 0);
            if (durable)
            {
                RandomAccess.FlushToDisk(handle);
                DurableWrites++;
            }
        }

        File.Move(temp, FilePath, overwrite: true);
        Writes++;
    }

    /// <summary>
    /// Overwrites recover.lock in place when the checkpoint and the file both fit one disk sector,
    /// padding with blanks to the file's length so nothing of a longer one is left (JSON allows
    /// trailing whitespace). False when it does not apply: the caller then replaces the file.
    /// </summary>
    private bool TryOverwriteInPlace(byte[] content)
    {
        if (content.Length > SectorBytes)
        {
            return false;
        }

        try
        {
            // Never through a symlink or into anything but a regular file.
            using var stream = PlainFiles.OpenRegular(FilePath, write: true, out _);
            if (stream is null)
            {
                return false;
            }

            var length = stream.Length;
            if (length > SectorBytes)
            {
                return false;
            }

            if (content.Length < length)
            {
                var padded = new byte[(int)length];
                content.CopyTo(padded, 0);
                padded.AsSpan(content.Length).Fill((byte)' ');
                content = padded;
            }

            RandomAccess.Write(stream.SafeFileHandle, content, 0);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false; // the first save: created through the temp file
        }
    }

    /// <summary>
    /// Creates the temp file, never through what is already there: a leftover of a crash (or a planted
    /// symlink) makes the exclusive create fail, and is then unlinked and the create retried once.
    /// </summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle CreateTemp(string temp)
    {
        try
        {
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write);
        }
        catch (IOException) when (PlainFiles.KindOf(temp) is EntryKind.Regular or EntryKind.SymbolicLink)
        {
            File.Delete(temp);
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write);
        }
    }

    private static void WriteEntry(Utf8JsonWriter writer, FilePosition p)
    {
        writer.WriteString("file", p.File);
        writer.WriteNumber("offset", p.Offset);
        writer.WriteNumber("lines", p.Lines);
        writer.WriteNumber("size", p.Size);
        writer.WriteBoolean("clean", p.Clean);
    }

    private static bool TryReadEntry(JsonElement entry, string what, List<FilePosition> list, out string? error)
    {
        if (!entry.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String
            || !TryGetLong(entry, "offset", out var offset)
            || !TryGetLong(entry, "lines", out var lines)
            || !TryGetLong(entry, "size", out var size))
        {
            return Fail($"{what} needs file, offset, lines and size", out error);
        }

        var clean = entry.TryGetProperty("clean", out var c) && c.ValueKind == JsonValueKind.True;
        var position = new FilePosition(file.GetString()!, offset, lines, size, clean);
        if (!position.IsValid)
        {
            return Fail($"{what} is out of range: {position}", out error);
        }

        list.Add(position);
        error = null;
        return true;
    }

    private static bool TryGetLong(JsonElement entry, string name, out long value)
    {
        value = 0;
        return entry.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
