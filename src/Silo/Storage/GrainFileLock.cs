using System.Diagnostics;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// What <see cref="FileGrainStorage"/> holds while it compares a grain's ETag and replaces its file: first this
/// process's gate for the lock file, so storages in one process queue for it, then the OS lock on the lock file
/// (<see cref="FileLock"/>), so processes exclude each other. Another process is waited for by polling, which is
/// rare: each data directory has one process (<see cref="DataDirectoryLock"/>).
/// </summary>
internal sealed class GrainFileLock : IDisposable
{
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(50);
    private readonly IDisposable _gate;
    private readonly FileLock _file;

    private GrainFileLock(IDisposable gate, FileLock file)
    {
        _gate = gate;
        _file = file;
    }

    public static async Task<GrainFileLock> TakeAsync(string lockFile, TimeSpan patience)
    {
        var gate = await ProcessGates.EnterAsync(lockFile).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var poll = TimeSpan.FromMilliseconds(1);
            while (true)
            {
                if (FileLock.TryTake(lockFile) is { } file)
                    return new GrainFileLock(gate, file);
                if (Stopwatch.GetElapsedTime(started) > patience)
                    throw new TimeoutException(
                        $"Waited {patience.TotalSeconds:0} s for the lock file {lockFile}: another process keeps writing this grain's state. " +
                        "Only one process may use a data directory; its lock file names the pid of the one using it.");
                await Task.Delay(poll).ConfigureAwait(false);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
            }
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    /// <summary>The lock if nobody holds it now, without waiting; otherwise null.</summary>
    public static GrainFileLock? TryTake(string lockFile)
    {
        if (ProcessGates.TryEnter(lockFile) is not { } gate)
            return null;
        try
        {
            if (FileLock.TryTake(lockFile) is { } file)
                return new GrainFileLock(gate, file);
            gate.Dispose();
            return null;
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }
}
