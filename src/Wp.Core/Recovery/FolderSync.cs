using System.Runtime.InteropServices;

namespace Wp.Core.Recovery;

/// <summary>
/// Makes a rename or delete in a folder durable by fsyncing the folder (Unix). Windows has no
/// portable way from .NET and NTFS journals metadata, so it is a no-op there.
/// </summary>
/// <remarks>Same technique as <c>RescueWriter</c>'s private helper; kept separate so Recovery does not reach into Rescue internals.</remarks>
internal static class FolderSync
{
    /// <summary>Fsyncs <paramref name="folder"/>. Throws <see cref="IOException"/> when that fails.</summary>
    public static void Sync(string folder)
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

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
