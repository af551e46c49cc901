using Wp.Core.Rescue;
using System.Globalization;
using System.Text;

namespace Wp.Core.Recovery;

/// <summary>
/// One wprescue per rescue folder (SPEC §9.2): the lock file <c>&lt;rescue_root&gt;/.wprescue.lock</c>
/// held open with <see cref="FileShare.None"/> for the whole run. On Unix .NET backs that with an
/// advisory <c>flock(LOCK_EX)</c> which the kernel drops when the process dies, so a crashed
/// wprescue never leaves a stale lock behind.
/// </summary>
/// <remarks>
/// The file is never deleted: unlinking a lock file lets a third process lock a fresh inode while a
/// second still holds the old one. It holds the owner's process id, for the error message only. The
/// leading dot keeps it out of a plain <c>ls</c> of the rescue folder, and the picker only takes
/// <c>*.dat</c>.
/// </remarks>
internal sealed class InstanceLock : IDisposable
{
    public const string FileName = ".wprescue.lock";

    private readonly FileStream _stream;

    private InstanceLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Takes the lock, creating the folder if needed. Does not throw for a lock held by another
    /// process: returns false with a one-line <paramref name="error"/> naming the folder, the lock
    /// file and, when readable, the holder's pid.
    /// </summary>
    /// <exception cref="IOException">The folder or lock file cannot be created at all.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or lock file cannot be created at all.</exception>
    public static bool TryAcquire(string rescueRoot, out InstanceLock? held, out string? error)
    {
        Directory.CreateDirectory(rescueRoot);
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(rescueRoot), FileName);
        if (PlainFiles.KindOf(path) is not (EntryKind.Missing or EntryKind.Regular) and var kind)
        {
            // Opening it would follow a symlink (and truncating it would damage the file it points to).
            held = null;
            error = $"lock file {path} is {PlainFiles.Describe(kind)}, not a regular file; remove it (wprescue never follows links in the rescue folder)";
            return false;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException) when (File.Exists(path))
        {
            held = null;
            var holder = ReadHolder(path);
            error = $"another wprescue{holder} is already replaying {System.IO.Path.GetDirectoryName(path)} (lock {path} is held); only one may run per rescue folder";
            return false;
        }

        try
        {
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        held = new InstanceLock(stream, path);
        error = null;
        return true;
    }

    /// <summary>Releases the lock (the file stays; see remarks).</summary>
    public void Dispose() => _stream.Dispose();

    private static string ReadHolder(string path)
    {
        // A normal .NET open would take a shared flock and fail against the holder's exclusive one.
        var bytes = NativeFiles.ReadWithoutLock(path, 32);
        var text = bytes is null ? string.Empty : Encoding.ASCII.GetString(bytes).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? $" (pid {pid})" : string.Empty;
    }
}
