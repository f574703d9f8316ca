using System.Globalization;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// One process per embedded data directory: a second one would write the same state files behind the first one's
/// back. The lock is an OS lock on &lt;data directory&gt;/lock (<see cref="FileLock"/>, released by the kernel if the
/// process dies) with the holder's pid inside. Inside one process it is shared and counted: several silos in one
/// process (the orchestration benchmark, the `cos` client and the silo it hosts) take it together, and the last
/// one to let go releases it.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = "lock";
    private static readonly Dictionary<string, Holding> HeldHere = new(StringComparer.Ordinal);
    private readonly string _path;
    private Holding? _holding;

    private DataDirectoryLock(string path, Holding holding)
    {
        _path = path;
        _holding = holding;
    }

    /// <summary>
    /// Takes the lock of <paramref name="dataDirectory"/> (creating the folder) or throws
    /// <see cref="DataDirectoryBusyException"/> naming the directory, the pid of the process holding it and, in
    /// <paramref name="howToChooseAnother"/>, how this program is given another folder.
    /// </summary>
    public static DataDirectoryLock Take(string dataDirectory, string howToChooseAnother)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var root = Path.GetFullPath(dataDirectory);
        var path = Path.Combine(root, FileName);
        lock (HeldHere)
        {
            if (!HeldHere.TryGetValue(path, out var holding))
            {
                Directory.CreateDirectory(root);
                var file = FileLock.TryTake(path) ?? throw Busy(root, path, howToChooseAnother);
                try
                {
                    file.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                }
                catch
                {
                    file.Dispose();
                    throw;
                }
                HeldHere[path] = holding = new Holding(file);
            }
            holding.Users++;
            return new DataDirectoryLock(path, holding);
        }
    }

    public void Dispose()
    {
        lock (HeldHere)
        {
            if (_holding is not { } holding)
                return;
            _holding = null;
            if (--holding.Users > 0)
                return;
            HeldHere.Remove(_path);
            holding.File.Dispose();
        }
    }

    private static DataDirectoryBusyException Busy(string root, string path, string howToChooseAnother)
    {
        var pid = PosixFiles.ReadWithoutLocking(path, 32)?.Trim();
        var holder = int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? $"another process (pid {id})" : "another process";
        return new DataDirectoryBusyException(
            $"the data directory {root} is in use by {holder}, which holds {path}; only one process may use a data directory at a time. " +
            $"Wait for that process to finish or stop it, or {howToChooseAnother}.",
            root);
    }

    private sealed class Holding(FileLock file)
    {
        public FileLock File { get; } = file;

        public int Users { get; set; }
    }
}

/// <summary>An embedded data directory is in use by another process.</summary>
public sealed class DataDirectoryBusyException(string message, string dataDirectory) : Exception(message)
{
    public string DataDirectory { get; } = dataDirectory;
}
