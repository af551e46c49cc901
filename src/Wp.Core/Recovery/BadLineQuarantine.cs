using System.Globalization;
using System.Text;
using Wp.Core.Rescue;

namespace Wp.Core.Recovery;

/// <summary>
/// Sets bad lines of one rescue file aside in <c>&lt;rescue_root&gt;/bad/&lt;file&gt;.bad</c> (SPEC §9.5,
/// ARCHITECTURE practice 5): one line per bad line, <c>&lt;line number&gt;\t&lt;reason&gt;\t&lt;original bytes&gt;</c>
/// (line number <c>tail</c> for the torn tail of an adopted file). The original bytes are kept as they
/// were, so nothing is lost; the file is appended to, so a re-run after a crash may repeat a line.
/// </summary>
/// <remarks>Opened on the first bad line only. Not thread-safe.</remarks>
internal sealed class BadLineQuarantine : IDisposable
{
    public const string FolderName = "bad";
    public const string Suffix = ".bad";

    private BufferedStream? _stream;
    private bool _dirty;

    /// <param name="badFolder">The quarantine folder (created on first use).</param>
    /// <param name="rescueFileName">Bare name of the rescue file the lines come from.</param>
    public BadLineQuarantine(string badFolder, string rescueFileName)
    {
        Folder = badFolder;
        FilePath = Path.Combine(badFolder, rescueFileName + Suffix);
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Lines written by this instance.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one bad line; <paramref name="lineNumber"/> 0 means the torn tail of an adopted file.</summary>
    /// <exception cref="IOException">The quarantine file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The quarantine file cannot be written.</exception>
    public void Write(long lineNumber, string reason, ReadOnlySpan<byte> line)
    {
        if (_stream is null)
        {
            Directory.CreateDirectory(Folder);
            if (PlainFiles.KindOf(Folder) != EntryKind.Directory)
            {
                throw new IOException($"quarantine folder {Folder} is not a folder (a symbolic link?): bad lines are only written inside the rescue folder");
            }

            // Never through a symlink: bad/<file>.bad must be a regular file of ours (see PlainFiles).
            var stream = PlainFiles.OpenRegular(FilePath, write: true, out var refused, create: true)
                ?? throw new IOException($"quarantine file {FilePath} is {refused}; bad lines are not written through it");
            stream.Seek(0, SeekOrigin.End);
            _stream = new BufferedStream(stream, 16 * 1024);
        }

        var label = lineNumber == 0 ? "tail" : lineNumber.ToString(CultureInfo.InvariantCulture);
        var oneLineReason = reason.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        _stream.Write(Encoding.UTF8.GetBytes(label + "\t" + oneLineReason + "\t"));
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        _dirty = true;
        Count++;
    }

    /// <summary>
    /// Makes the lines written so far durable. The replayer calls it before each checkpoint, so a line
    /// is in the quarantine before the checkpoint moves past it.
    /// </summary>
    /// <exception cref="IOException">The flush failed.</exception>
    public void Sync()
    {
        if (_stream is not null && _dirty)
        {
            _stream.Flush();
            ((FileStream)_stream.UnderlyingStream).Flush(flushToDisk: true);
            _dirty = false;
        }
    }

    public void Dispose()
    {
        try
        {
            Sync();
        }
        finally
        {
            _stream?.Dispose();
            _stream = null;
        }
    }
}
