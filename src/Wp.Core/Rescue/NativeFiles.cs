using System.Runtime.InteropServices;

namespace Wp.Core.Rescue;

/// <summary>The two file operations .NET has no API for: fsync a folder, read a file without flock.</summary>
/// <remarks>Used by <c>RescueWriter</c> (sealing) and by recovery (adopting, checkpoints, deletes).</remarks>
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

    private static class NativeMethods
    {
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
