using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Wp.Core.Rescue;

/// <summary>What a directory entry is, without following a symbolic link (<c>lstat</c>).</summary>
internal enum EntryKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, socket or device: never opened (a FIFO blocks, a device never ends).</summary>
    Special,
}

/// <summary>
/// Opens only regular files, never through a symbolic link: what keeps wprescue inside rescue_root.
/// A <c>.dat</c> or <c>.dat.lock</c> that is a symlink (to a file outside, or to /dev/zero), a FIFO or a
/// folder is never opened, adopted, quarantined or deleted — the callers skip it with one error line.
/// </summary>
/// <remarks>
/// <para>On Unix the check is <c>lstat</c> and the open is <c>open(O_NOFOLLOW)</c> followed by
/// <c>fstat</c> on the descriptor, so a file swapped for a symlink or FIFO between the check and the
/// open is still refused. A FIFO swapped in during that window would block the open; the window is the
/// length of one system call and needs write access to rescue_root, where an attacker could do worse.
/// Both calls go through the runtime's own native shim (<c>libSystem.Native</c>, part of every .NET
/// app and linked into Native AOT executables), whose file-status layout and flag values are the same on
/// every Unix, unlike libc's.</para>
/// <para>On Windows a reparse point counts as a symbolic link; FIFOs do not exist as files.</para>
/// </remarks>
internal static class PlainFiles
{
    // libSystem.Native's portable values (src/native/libs/System.Native/pal_io.h).
    private const int PalORdOnly = 0x0000;
    private const int PalORdWr = 0x0002;
    private const int PalOCloExec = 0x0010;
    private const int PalOCreat = 0x0020;
    private const int PalONoFollow = 0x0200;
    private const int PalSIfMt = 0xF000;
    private const int PalSIfDir = 0x4000;
    private const int PalSIfReg = 0x8000;
    private const int PalSIfLnk = 0xA000;
    private const int PalLockEx = 2;
    private const int PalLockNb = 4;

    /// <summary>What <paramref name="path"/> is, not following a final symlink. Does not throw.</summary>
    public static EntryKind KindOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path))
            {
                return EntryKind.Missing;
            }

            var attributes = File.GetAttributes(path);
            return attributes.HasFlag(FileAttributes.ReparsePoint) ? EntryKind.SymbolicLink
                : attributes.HasFlag(FileAttributes.Directory) ? EntryKind.Directory
                : EntryKind.Regular;
        }

        var status = new FileStatus();
        if (Native.LStat(path, ref status) != 0)
        {
            return EntryKind.Missing;
        }

        return Kind(status.Mode);
    }

    /// <summary>How a kind is named in log lines.</summary>
    public static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.SymbolicLink => "a symbolic link",
        EntryKind.Directory => "a folder",
        EntryKind.Special => "not a regular file (FIFO, socket or device)",
        EntryKind.Missing => "missing",
        _ => "a regular file",
    };

    /// <summary>
    /// Opens a regular file for reading (or reading and writing), refusing symlinks and anything that is
    /// not a regular file. Returns null with the reason when refused; the stream does not buffer.
    /// </summary>
    /// <exception cref="IOException">The open itself failed (missing, permission, I/O).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission.</exception>
    public static FileStream? OpenRegular(string path, bool write, out string? refused, bool create = false)
    {
        var kind = KindOf(path);
        if (kind != EntryKind.Regular && !(create && kind == EntryKind.Missing))
        {
            refused = Describe(kind);
            if (kind == EntryKind.Missing)
            {
                throw new FileNotFoundException($"could not find file '{path}'", path);
            }

            return null;
        }

        refused = null;
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, write ? FileAccess.ReadWrite : FileAccess.Read, write ? FileShare.Delete : FileShare.Read | FileShare.Delete, bufferSize: 0);
        }

        var flags = (write ? PalORdWr : PalORdOnly) | PalOCloExec | PalONoFollow | (create ? PalOCreat : 0);
        var handle = Native.Open(path, flags, create ? Convert.ToInt32("644", 8) : 0);
        if (handle.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (KindOf(path) is EntryKind.SymbolicLink)
            {
                refused = Describe(EntryKind.SymbolicLink); // swapped in after the check: O_NOFOLLOW refused it
                return null;
            }

            throw new IOException($"cannot open {path} (errno {errno})");
        }

        var status = new FileStatus();
        if (Native.FStat(handle, ref status) != 0 || Kind(status.Mode) != EntryKind.Regular)
        {
            refused = Describe(Kind(status.Mode));
            handle.Dispose();
            return null;
        }

        return new FileStream(handle, write ? FileAccess.ReadWrite : FileAccess.Read, bufferSize: 0);
    }

    /// <summary>
    /// Takes an exclusive, non-blocking advisory lock on <paramref name="stream"/> (what a live
    /// <see cref="RescueWriter"/> holds through <see cref="FileShare.None"/>). False when another process
    /// holds it. Windows: true (the open's share mode already decided).
    /// </summary>
    public static bool TryLockExclusive(FileStream stream)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        return Native.FLock(stream.SafeFileHandle, PalLockEx | PalLockNb) == 0;
    }

    private static EntryKind Kind(int mode) => (mode & PalSIfMt) switch
    {
        PalSIfReg => EntryKind.Regular,
        PalSIfDir => EntryKind.Directory,
        PalSIfLnk => EntryKind.SymbolicLink,
        _ => EntryKind.Special,
    };

    /// <summary>
    /// The runtime's <c>FileStatus</c>: flags then mode are its first two fields in every .NET version; the
    /// rest is padding sized well past the real struct so a future field can never overrun it.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    private static class Native
    {
        private const string Lib = "libSystem.Native";

        [DllImport(Lib, EntryPoint = "SystemNative_LStat", SetLastError = true)]
        public static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref FileStatus status);

        [DllImport(Lib, EntryPoint = "SystemNative_FStat", SetLastError = true)]
        public static extern int FStat(SafeFileHandle fd, ref FileStatus status);

        [DllImport(Lib, EntryPoint = "SystemNative_Open", SetLastError = true)]
        public static extern SafeFileHandle Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport(Lib, EntryPoint = "SystemNative_FLock", SetLastError = true)]
        public static extern int FLock(SafeFileHandle fd, int operation);
    }
}
