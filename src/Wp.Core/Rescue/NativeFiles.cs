using System.Runtime.InteropServices;

namespace Wp.Core.Rescue;

/// <summary>The file operations .NET has no API for: fsync a folder, read a file without flock, start writeback.</summary>
/// <remarks>Used by <c>RescueWriter</c> (sealing), by recovery (adopting, checkpoints, deletes) and by <see cref="WriteBehind"/>.</remarks>
internal static class NativeFiles
{
    /// <summary>
    /// Makes a rename or delete in <paramref name="folder"/> durable by fsyncing it (Unix). Windows has
    /// no portable way from .NET and NTFS journals metadata, so it is a no-op there. Throws
    /// <see cref="IOException"/> when the fsync fails.
    /// </summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = NativeMethods.Open(folder, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {folder} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.FSync(fd) != 0)
            {
                throw new IOException($"fsync of folder {folder} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> bytes of a file without taking the advisory lock .NET takes
    /// on every open (so it works on a file another process holds with <see cref="FileShare.None"/>).
    /// Unix only; returns null on Windows or on any error.
    /// </summary>
    public static byte[]? ReadWithoutLock(string path, int max)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var fd = NativeMethods.Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var buffer = new byte[max];
            var n = NativeMethods.Read(fd, buffer, (nint)max);
            return n < 0 ? null : buffer[..(int)n];
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// Asks the OS to start writing <paramref name="count"/> bytes of the file from <paramref name="offset"/>
    /// to disk, without waiting for it (Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>). A hint: it
    /// makes nothing durable, so failures are ignored (a later fsync reports them); other systems: nothing.
    /// </summary>
    public static void StartWriteback(SafeHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux() || count <= 0)
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = NativeMethods.SyncFileRange((int)file.DangerousGetHandle(), offset, count, 2 /* SYNC_FILE_RANGE_WRITE */);
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing to write back.
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
        public static extern int SyncFileRange(int fd, long offset, long count, uint flags);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        public static extern nint Read(int fd, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
