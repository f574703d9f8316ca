using System.Text;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// An exclusive OS lock on a lock file, held while this object lives and released by the kernel if the process dies.
/// Opening with FileShare.None is the lock on Windows and, in .NET on Unix, an flock(LOCK_EX | LOCK_NB); an explicit
/// flock on Unix then makes sure it is held, because .NET skips it silently where DOTNET_SYSTEM_IO_DISABLEFILELOCKING
/// is set or the file system refuses. An flock belongs to an open file, not to a process, so two FileLocks on one
/// file exclude each other inside one process as well as across processes.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    /// <summary>The lock on <paramref name="path"/> (created if missing), or null while another open file holds it.</summary>
    public static FileLock? TryTake(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (HeldElsewhere(e))
        {
            return null;
        }
        try
        {
            if (!OperatingSystem.IsWindows() && !PosixFiles.TryLockExclusive(file.SafeFileHandle, path))
            {
                file.Dispose();
                return null;
            }
            return new FileLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the lock file's content (the holder's pid, for whoever finds it locked).</summary>
    public void Write(string content)
    {
        _file.SetLength(0);
        _file.Write(Encoding.UTF8.GetBytes(content));
        _file.Flush();
    }

    public void Dispose() => _file.Dispose();

    private static bool HeldElsewhere(IOException e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 32 or 33
        : e.HResult == PosixFiles.WouldBlock;
}
