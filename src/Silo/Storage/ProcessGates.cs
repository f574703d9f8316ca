namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// One async gate per key for the whole process, so that storages in one process wait for each other in a queue
/// instead of polling an OS lock. A gate exists while someone holds it or waits for it.
/// </summary>
internal static class ProcessGates
{
    private static readonly Dictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> EnterAsync(string key)
    {
        var gate = Join(key);
        try
        {
            await gate.Semaphore.WaitAsync().ConfigureAwait(false);
        }
        catch
        {
            Leave(key, gate);
            throw;
        }
        return new Entered(key, gate);
    }

    /// <summary>The gate if nobody in this process holds it, without waiting; otherwise null.</summary>
    public static IDisposable? TryEnter(string key)
    {
        var gate = Join(key);
        if (gate.Semaphore.Wait(0))
            return new Entered(key, gate);
        Leave(key, gate);
        return null;
    }

    private static Gate Join(string key)
    {
        lock (Gates)
        {
            if (!Gates.TryGetValue(key, out var gate))
                Gates[key] = gate = new Gate();
            gate.Users++;
            return gate;
        }
    }

    private static void Leave(string key, Gate gate)
    {
        lock (Gates)
        {
            if (--gate.Users > 0)
                return;
            Gates.Remove(key);
            gate.Semaphore.Dispose();
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Entered(string key, Gate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            gate.Semaphore.Release();
            Leave(key, gate);
        }
    }
}
