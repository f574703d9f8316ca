using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Orchestration.Bench.Peers;
using CoS.Distributed.Orchestration.Bench.Timeline;
using CoS.Distributed.Orchestration.Bench.Trainer;

namespace CoS.Distributed.Orchestration.Bench.Runs;

/// <summary>
/// One measured sweep: its timeline, how long it took from submit to finished as a client sees it, and the CPU time
/// the whole process (three silos) spent per cell from submit to finished, and the thread pool's size before and after.
/// </summary>
internal sealed record SweepRun(string Name, SweepTimeline Timeline, double SubmitToFinishedSeconds, double CpuMsPerCell, int PoolThreadsBefore, int PoolThreadsAfter);

internal static class SweepRuns
{
    /// <summary>
    /// Submits a sweep of <paramref name="cells"/> cells (1 data set × 1 model × 2 activations × cells/2 seeds) whose
    /// simulated training holds each slot <paramref name="hold"/>, waits until the sweep is finished, and checks that
    /// every cell completed once and entered its group's statistics once.
    /// </summary>
    public static async Task<SweepRun> Run(IGrainFactory client, SimulatedCellTrainer trainer, string name, int cells, int epochs, TimeSpan hold, int slots)
    {
        var spec = new SweepSpec
        {
            Name = name,
            Datasets = [new DatasetSpec { Name = "fashion-mnist" }],
            Models = ["small_cnn"],
            Activations = ["relu", "cos"],
            Seeds = [.. Enumerable.Range(1, cells / 2).Select(s => (long)s)],
            Training = new HyperParameterAxes { Epochs = [epochs] },
            BaselineActivation = "relu",
        };
        var allEnded = trainer.Expect(name, hold, cells);
        var sweep = client.GetGrain<ISweepGrain>(name);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var poolThreadsBefore = ThreadPool.ThreadCount;
        var submitted = Stopwatch.GetTimestamp();
        var result = await sweep.Submit(spec);
        if (!result.Accepted || result.CellCount != cells)
            throw new InvalidOperationException($"sweep '{name}' was not accepted as {cells} cells: {string.Join("; ", result.Problems)}");

        var limit = TimeSpan.FromSeconds(60 + 10 * cells * hold.TotalSeconds / slots);
        if (await Task.WhenAny(allEnded, Task.Delay(limit)) != allEnded)
            throw new TimeoutException($"sweep '{name}' did not run its {cells} cells within {limit}");
        SweepStatus status;
        while (!(status = await sweep.GetStatus()).Finished) await Task.Delay(20);
        var finishedSeconds = Latency.Milliseconds(submitted, Stopwatch.GetTimestamp()) / 1000;
        var cpuMsPerCell = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / cells;

        var completed = status.Count(CellStatus.Completed);
        if (completed != cells) throw new InvalidOperationException($"sweep '{name}' finished with {completed} of {cells} cells completed");
        var counted = (await sweep.GetStatistics()).Sum(g => g.Completed);
        if (counted != cells) throw new InvalidOperationException($"sweep '{name}': its groups counted {counted} results for {cells} cells");
        var spans = trainer.SpansOf(name);
        if (spans.Count != cells) throw new InvalidOperationException($"sweep '{name}': {spans.Count} attempts ran for {cells} cells");

        return new SweepRun(name, SweepTimeline.Of(spans, slots, hold), finishedSeconds, cpuMsPerCell, poolThreadsBefore, ThreadPool.ThreadCount);
    }
}
