using System.Diagnostics;
using CoS.Distributed.Grains;
using CoS.Distributed.Grains.Cells;
using CoS.Distributed.Grains.Interfaces.Cells;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace CoS.Distributed.Orchestration.Bench.Peers;

/// <summary>
/// Same-run peers, measured in the benchmark's process on its cluster, so the dispatch numbers can be read as
/// multiples of them on a shared, noisy machine: a no-op grain call (to a grain on the caller's silo and on another
/// silo), made the way a slot makes its calls (blocking a dedicated thread), and one write through the grain storage.
/// </summary>
internal static class PeerMeasures
{
    public static Latency NoOpCall(IPingGrain target, int calls) => OnDedicatedThread(() =>
    {
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            target.Ping().GetAwaiter().GetResult();
            times.Add(Latency.Milliseconds(start, Stopwatch.GetTimestamp()));
        }
        return Latency.Of(times);
    });

    /// <summary>No-op calls every <paramref name="interval"/> until stopped: the floor while the cluster is under load (milliseconds).</summary>
    public static Task<List<double>> NoOpCallsUntil(IPingGrain target, TimeSpan interval, CancellationToken stop)
    {
        var done = new TaskCompletionSource<List<double>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var times = new List<double>();
            while (!stop.WaitHandle.WaitOne(interval))
            {
                var start = Stopwatch.GetTimestamp();
                target.Ping().GetAwaiter().GetResult();
                times.Add(Latency.Milliseconds(start, Stopwatch.GetTimestamp()));
            }
            done.SetResult(times);
        })
        { Name = "cos-bench-peer-under-load", IsBackground = true };
        thread.Start();
        return done.Task;
    }

    /// <summary>Writes of a one-epoch cell's state through the silo's "cos" grain storage (the file storage in embedded mode).</summary>
    public static async Task<Latency> StorageWrite(IServiceProvider silo, int writes)
    {
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(CosGrainStorage.Name);
        var grain = GrainId.Create("bench-storage-probe", Guid.NewGuid().ToString("N"));
        var cell = new CellGrainState
        {
            Status = CellStatus.Completed,
            Attempt = 1,
            Epochs = [new EpochReport(1, 0.2, 0.8, 0.3, 0.79, 0.05, 0.1, 0)],
            Slot = new SlotAddress("S127.0.0.1:11111:1", 0, "cpu"),
        };
        var state = new GrainState<CellGrainState>(cell);
        var times = new List<double>(writes);
        for (var i = 0; i < writes; i++)
        {
            cell.Version = i;
            var start = Stopwatch.GetTimestamp();
            await storage.WriteStateAsync("cell", grain, state);
            times.Add(Latency.Milliseconds(start, Stopwatch.GetTimestamp()));
        }
        await storage.ClearStateAsync("cell", grain, state);
        return Latency.Of(times);
    }

    private static T OnDedicatedThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work()) { Name = "cos-bench-peer" };
        thread.Start();
        thread.Join();
        return result;
    }
}
