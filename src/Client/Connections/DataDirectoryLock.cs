namespace CoS.Distributed.Client.Connections;

/// <summary>One embedded silo per data directory: a second one would write the same state files.</summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream file;

    private DataDirectoryLock(FileStream file) => this.file = file;

    public static DataDirectoryLock Take(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true)) writer.Write(Environment.ProcessId);
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException e)
        {
            var holder = File.Exists(path) ? TryRead(path) : "";
            throw new DataDirectoryBusyException(
                $"another cos process{(holder.Length > 0 ? $" (pid {holder})" : "")} is using the data directory {dataDirectory}; wait for it to finish, stop it, or pass --data-dir with another folder", e);
        }
    }

    public void Dispose() => file.Dispose();

    private static string TryRead(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}

public sealed class DataDirectoryBusyException(string message, Exception inner) : Exception(message, inner);
