using CoS.Distributed.Orchestration.Bench.Cluster;
using CoS.Distributed.Orchestration.Bench.Peers;
using CoS.Distributed.Orchestration.Bench.Profiling;
using CoS.Distributed.Orchestration.Bench.Report;
using CoS.Distributed.Orchestration.Bench.Runs;
using CoS.Distributed.Orchestration.Bench.Telemetry;
using CoS.Distributed.Orchestration.Bench.Trainer;

// Orchestration overhead: real silos with the real grains, placement and file grain storage, and a simulated
// trainer that holds each slot for a fixed time. Progress goes to stderr, the Markdown report to stdout.
//   Orchestration.Bench --silos 3 --slots 4 --cells 2000 --hold-ms 100 --runs 3 --zero-runs 2
//                       [--min-worker-threads N] [--profile true] [--tracing true]
var settings = BenchSettings.Parse(args);
// --tracing: the OpenTelemetry SDK records every span and metric the product makes, as an exporting silo would.
using var telemetry = settings.Tracing ? new BenchTelemetry() : null;
if (settings.MinWorkerThreads > 0)
{
    ThreadPool.GetMinThreads(out _, out var completionPorts);
    ThreadPool.SetMinThreads(settings.MinWorkerThreads, completionPorts);
}
var trainer = new SimulatedCellTrainer();
var timings = settings.Profile ? new CallTimings() : null;
var dataDirectory = Directory.CreateTempSubdirectory("cos-orchestration-bench-").FullName;
var report = new BenchReport(settings, dataDirectory) { LoadBefore = LoadAverage() };
try
{
    Progress($"starting {settings.Silos} silos x {settings.SlotsPerSilo} slots, data under {dataDirectory}");
    await using var cluster = await BenchCluster.Start(settings.Silos, settings.SlotsPerSilo, dataDirectory, trainer, timings);
    var client = cluster.Grains(0);

    Progress("same-run peers: no-op grain calls and grain-storage writes");
    var local = cluster.Grains(0).GetGrain<IPingGrain>("peer");
    if (await local.Silo() != cluster.SiloAddress(0))
        throw new InvalidOperationException("the no-op grain was not placed on the silo that called it first (PreferLocalPlacement)");
    PeerMeasures.NoOpCall(local, 500);
    report.LocalCall = PeerMeasures.NoOpCall(local, 2000);
    if (settings.Silos > 1) report.RemoteCall = PeerMeasures.NoOpCall(cluster.Grains(1).GetGrain<IPingGrain>("peer"), 2000);
    report.StorageWrite = await PeerMeasures.StorageWrite(cluster.Silos[0], 200);

    var hold = TimeSpan.FromMilliseconds(settings.HoldMs);
    Progress($"warm-up sweeps: {settings.WarmupCells} cells of 0 ms, {settings.WarmupCells * 2} of {settings.HoldMs} ms");
    await SweepRuns.Run(client, trainer, "warm-up", settings.WarmupCells, 1, TimeSpan.Zero, settings.Slots);
    await SweepRuns.Run(client, trainer, "warm-up-held", settings.WarmupCells * 2, settings.Epochs, hold, settings.Slots);

    var underLoad = new List<double>();
    for (var run = 1; run <= settings.Runs; run++)
    {
        Progress($"run {run}/{settings.Runs}: {settings.Cells} cells of {settings.HoldMs} ms, {settings.Epochs} epoch(s) each");
        using var stopPinging = new CancellationTokenSource();
        var pinging = PeerMeasures.NoOpCallsUntil(local, TimeSpan.FromMilliseconds(50), stopPinging.Token);
        if (timings is not null) timings.Recording = true;
        var result = await SweepRuns.Run(client, trainer, $"held-{settings.HoldMs}ms-run-{run}", settings.Cells, settings.Epochs, hold, settings.Slots);
        if (timings is not null) timings.Recording = false;
        await stopPinging.CancelAsync();
        underLoad.AddRange(await pinging);
        report.LocalCallUnderLoad = Latency.Of(underLoad);
        report.HeldRuns.Add(result);
        Progress($"  wall {result.Timeline.WallSeconds:F2} s, utilisation {result.Timeline.Utilisation:P2}, dispatch p50 {result.Timeline.Dispatch.P50:F2} ms p99 {result.Timeline.Dispatch.P99:F2} ms, pool threads {result.PoolThreadsBefore} -> {result.PoolThreadsAfter}");
    }
    for (var run = 1; run <= settings.ZeroRuns; run++)
    {
        Progress($"zero-length run {run}/{settings.ZeroRuns}: {settings.Cells} cells of 0 ms");
        var result = await SweepRuns.Run(client, trainer, $"zero-run-{run}", settings.Cells, 1, TimeSpan.Zero, settings.Slots);
        report.ZeroRuns.Add(result);
        Progress($"  {result.Timeline.CellsPerSecond:F0} cells/s, dispatch p50 {result.Timeline.Dispatch.P50:F2} ms p99 {result.Timeline.Dispatch.P99:F2} ms");
    }
    report.Profile = timings?.Summary();
}
finally
{
    Directory.Delete(dataDirectory, recursive: true);
}
report.LoadAfter = LoadAverage();
report.SpansExported = telemetry?.Finish();
Console.Write(report.ToMarkdown());
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
