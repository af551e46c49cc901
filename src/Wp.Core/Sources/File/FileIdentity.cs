using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Wp.Core.Sources.Files;

/// <summary>
/// Which file a read position belongs to (SPEC §4.1): device and inode (0 where the platform has
/// none), plus a fingerprint of the first <see cref="FingerprintLength"/> bytes, which catches a
/// recycled inode and identifies a copy (copytruncate) by content.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, int FingerprintLength, string Fingerprint)
{
    /// <summary>How many leading bytes the fingerprint covers once the file is that long.</summary>
    public const int MaxFingerprintBytes = 1024;

    /// <summary>True when both sides know their inode and device and they are equal.</summary>
    public bool SameInodeAs(FileIdentity other) =>
        Inode != 0 && other.Inode != 0 && Inode == other.Inode && Device == other.Device;

    /// <summary>The fingerprint of the first <paramref name="length"/> bytes of <paramref name="handle"/>, or null when the file is shorter.</summary>
    public static string? FingerprintOf(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return Hash(buffer);
    }

    /// <summary>The identity of an open file: its device/inode and the fingerprint of up to <see cref="MaxFingerprintBytes"/> leading bytes.</summary>
    public static FileIdentity Of(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var (device, inode) = FileStatus.DeviceAndInode(handle);
        var length = (int)Math.Min(RandomAccess.GetLength(handle), MaxFingerprintBytes);
        return new FileIdentity(device, inode, length, FingerprintOf(handle, length) ?? Hash([]));
    }

    /// <summary>Of a path; null when it cannot be opened.</summary>
    public static FileIdentity? Of(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Of(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
}

/// <summary>Device and inode of an open file via <c>statx</c> (Linux); (0, 0) elsewhere or on error.</summary>
internal static class FileStatus
{
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    public static (ulong Device, ulong Inode) DeviceAndInode(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();

            // struct statx has the same layout on every Linux architecture (256 bytes):
            // stx_ino at 32, stx_dev_major at 136, stx_dev_minor at 140.
            var buffer = new byte[256];
            if (NativeMethods.Statx(fd, string.Empty, AtEmptyPath, StatxIno, buffer) != 0)
            {
                return (0, 0);
            }

            var inode = MemoryMarshal.Read<ulong>(buffer.AsSpan(32));
            var major = MemoryMarshal.Read<uint>(buffer.AsSpan(136));
            var minor = MemoryMarshal.Read<uint>(buffer.AsSpan(140));
            return (((ulong)major << 32) | minor, inode);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return (0, 0);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
    }
}
