using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CoS.Distributed.Silo.Storage;

/// <summary>The POSIX calls .NET does not expose: flock on an open file, fsync of a directory, reading a locked file.</summary>
internal static class PosixFiles
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int OpenReadOnly = 0;
    private const int LinuxOpenCloseOnExec = 0x80000;
    private const int Interrupted = 4;
    private const int InvalidArgument = 22;

    /// <summary>EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs. .NET reports it as an IOException's HResult.</summary>
    public static int WouldBlock => OperatingSystem.IsLinux() || OperatingSystem.IsAndroid() ? 11 : 35;

    /// <summary>An exclusive flock on an open file, without waiting; false when another open file holds one.</summary>
    public static bool TryLockExclusive(SafeFileHandle file, string path)
    {
        while (true)
        {
            if (flock(file, LockExclusive | LockNonBlocking) == 0)
                return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == WouldBlock)
                return false;
            if (errno != Interrupted)
                throw new IOException($"Cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}). " +
                    "Keep the data directory on a file system with flock locks, such as a local disk.");
        }
    }

    /// <summary>
    /// Makes the renames, creations and deletions already done in <paramref name="directory"/> durable, as fsync does
    /// for a file's bytes. Linux only: elsewhere, and on file systems that cannot sync a directory (EINVAL), it does nothing.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = open(NullTerminated(directory), OpenReadOnly | LinuxOpenCloseOnExec);
        if (fd < 0)
            throw Failed("open", directory, Marshal.GetLastPInvokeError());
        try
        {
            while (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == InvalidArgument)
                    return;
                if (errno != Interrupted)
                    throw Failed("fsync", directory, errno);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// The start of a file another process holds locked, read without taking a lock (a .NET FileStream would take a
    /// shared flock and fail); null when it cannot be read, and always on Windows, where the lock keeps readers out.
    /// </summary>
    public static string? ReadWithoutLocking(string path, int maxBytes)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var fd = open(NullTerminated(path), OpenReadOnly);
        if (fd < 0)
            return null;
        try
        {
            var buffer = new byte[maxBytes];
            var count = read(fd, buffer, (nint)buffer.Length);
            return count < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)count);
        }
        finally
        {
            _ = close(fd);
        }
    }

    private static IOException Failed(string call, string path, int errno) =>
        new($"{call} of {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}); the last change in that folder may not be on disk.");

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + '\0');

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(SafeFileHandle fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
