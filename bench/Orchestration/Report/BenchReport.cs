using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using CoS.Distributed.Orchestration.Bench.Peers;
using CoS.Distributed.Orchestration.Bench.Runs;
using CoS.Distributed.Silo.Slots;

namespace CoS.Distributed.Orchestration.Bench.Report;

/// <summary>The benchmark's numbers as a Markdown page: setup, same-run peers, held and zero-length runs, targets.</summary>
internal sealed class BenchReport(BenchSettings settings, string dataDirectory)
{
    private const double UtilisationTarget = 0.98;
    private const double DispatchP99TargetMs = 20;

    // Ray Tune's published run: 10,000 one-second trials took 715 s where 625 s was ideal.
    private const double RayTuneSeconds = 715;
    private const double RayTuneIdealSeconds = 625;

    public string LoadBefore { get; set; } = "n/a";
    public string LoadAfter { get; set; } = "n/a";
    public Latency? LocalCall { get; set; }
    public Latency? RemoteCall { get; set; }
    public Latency? LocalCallUnderLoad { get; set; }
    public Latency? StorageWrite { get; set; }
    public List<SweepRun> HeldRuns { get; } = [];
    public List<SweepRun> ZeroRuns { get; } = [];
    public IReadOnlyList<(string What, Latency Latency)>? Profile { get; set; }

    /// <summary>With --tracing: the spans the SDK exported during the whole benchmark.</summary>
    public long? SpansExported { get; set; }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

        Line("# Orchestration overhead");
        Line();
        Line($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, Orleans {OrleansVersion()}. The machine is shared: load average " +
            $"(1, 5, 15 min) {LoadBefore} before and {LoadAfter} after this run.");
        Line();
        Line($"{settings.Silos} real Orleans silos × {settings.SlotsPerSilo} slots = {settings.Slots} slots in one process, each silo built by " +
            "`AddCos` in embedded mode (localhost clustering, all silos pointed at the first as primary); the real sweep, scheduler, " +
            "cell and group grains with slot placement; grain state in the file-backed grain storage (`FileGrainStorage`: JSON; per write " +
            $"a per-grain file lock, fsync of the file, rename, fsync of its folder) under one shared data directory ({dataDirectory}, " +
            "deleted afterwards). Slot workers are the " +
            $"product's (`SlotWorkers`, one thread per slot, idle poll {new SlotOptions().IdlePoll.TotalMilliseconds:F0} ms); only the trainer is " +
            "simulated: it holds its slot (sleeping the whole milliseconds, yielding through the rest), reports each epoch to the cell " +
            "grain and records when each cell started and ended. Logging at Warning. Warm-up sweeps of " +
            $"{settings.WarmupCells} zero-length and {settings.WarmupCells * 2} held cells run first (JIT tiering, activations) and are not reported. Thread pool: " +
            (settings.MinWorkerThreads > 0 ? $"minimum raised to {settings.MinWorkerThreads} worker threads." : "the runtime's defaults (the product's behaviour).") +
            (SpansExported is { } spans
                ? $" **Tracing and metrics on**: the OpenTelemetry SDK listened to the project's source and meter, Orleans' application source and meter, with a batch processor exporting every span ({spans:N0} in all) to an exporter that counts them, and metrics read every second."
                : " Tracing and metrics off (no exporter configured: the product's default)."));
        Line();
        Line("Utilisation = busy slot-time ÷ slot-time from the first cell's start to the last cell's start (work pending). Dispatch latency " +
            "= a slot's cell ending → that slot's next cell starting, for slots freed while work was pending. Wall = first cell start → " +
            "last cell end; ideal = cells × hold ÷ slots. Every run checks that each cell completed once and was counted once by its group.");
        Line();

        Line("## Same-run peers");
        Line();
        Line("| call | n | p50 ms | p99 ms | max ms |");
        Line("|---|---|---|---|---|");
        void Peer(string name, Latency? l)
        {
            if (l is not null) Line($"| {name} | {l.Count} | {F(l.P50, "F3")} | {F(l.P99, "F3")} | {F(l.Max, "F3")} |");
        }
        Peer("no-op grain call, same silo (idle cluster)", LocalCall);
        Peer("no-op grain call, other silo (idle cluster)", RemoteCall);
        Peer("no-op grain call, same silo, every 50 ms during the held runs", LocalCallUnderLoad);
        Peer("grain-storage write of a cell's state (file, fsync)", StorageWrite);
        Line();

        if (HeldRuns.Count > 0)
        {
            var t0 = HeldRuns[0].Timeline;
            Line($"## {t0.Cells} cells of {F(t0.HoldMs, "F0")} ms, {settings.Epochs} epoch(s) each, {t0.Slots} slots");
            Line();
            Line("| run | wall s | ideal s | overhead | utilisation | dispatch p50 ms | p99 ms | max ms | mean hold ms | slowest slot's first start ms | CPU ms per cell | pool threads |");
            Line("|---|---|---|---|---|---|---|---|---|---|---|---|");
            var i = 0;
            foreach (var run in HeldRuns)
            {
                var t = run.Timeline;
                Line($"| {++i} | {F(t.WallSeconds, "F2")} | {F(t.IdealSeconds, "F2")} | {F(t.Overhead * 100, "F1")} % | {F(t.Utilisation * 100, "F2")} % | " +
                    $"{F(t.Dispatch.P50, "F2")} | {F(t.Dispatch.P99, "F2")} | {F(t.Dispatch.Max, "F2")} | {F(t.MeanHeldMs, "F2")} | {F(t.StartupSkewMs, "F0")} | {F(run.CpuMsPerCell, "F2")} | {run.PoolThreadsBefore} → {run.PoolThreadsAfter} |");
            }
            var utilisation = Median(HeldRuns.Select(r => r.Timeline.Utilisation));
            var p99 = Median(HeldRuns.Select(r => r.Timeline.Dispatch.P99));
            Line($"| median | {F(Median(HeldRuns.Select(r => r.Timeline.WallSeconds)), "F2")} | {F(t0.IdealSeconds, "F2")} | " +
                $"{F(Median(HeldRuns.Select(r => r.Timeline.Overhead)) * 100, "F1")} % | {F(utilisation * 100, "F2")} % | " +
                $"{F(Median(HeldRuns.Select(r => r.Timeline.Dispatch.P50)), "F2")} | {F(p99, "F2")} | | | | {F(Median(HeldRuns.Select(r => r.CpuMsPerCell)), "F2")} | |");
            Line();
            Line($"Targets (issue 3): utilisation ≥ {UtilisationTarget:P0}: **{(utilisation >= UtilisationTarget ? "met" : "missed")}** " +
                $"({HeldRuns.Count(r => r.Timeline.Utilisation >= UtilisationTarget)} of {HeldRuns.Count} runs); dispatch p99 ≤ {DispatchP99TargetMs:F0} ms: " +
                $"**{(p99 <= DispatchP99TargetMs ? "met" : "missed")}** ({HeldRuns.Count(r => r.Timeline.Dispatch.P99 <= DispatchP99TargetMs)} of {HeldRuns.Count} runs).");
            if (LocalCallUnderLoad is { Count: > 0 } peer)
                Line($"Read against the same-run peer: dispatch p50 is {F(Median(HeldRuns.Select(r => r.Timeline.Dispatch.P50)) / peer.P50, "F1")}× and p99 " +
                    $"{F(p99 / peer.P99, "F1")}× those of a no-op grain call made alongside the runs (p50 {F(peer.P50, "F2")} ms, p99 {F(peer.P99, "F2")} ms).");
            Line($"Against the ideal with the holds the cells really had (sleep overshoot and the epoch report are part of a cell's time): " +
                $"overhead {F(Median(HeldRuns.Select(r => r.Timeline.WallSeconds / r.Timeline.IdealWithMeasuredHoldsSeconds - 1)) * 100, "F1")} % (median).");
            Line();
        }

        if (ZeroRuns.Count > 0)
        {
            Line($"## {ZeroRuns[0].Timeline.Cells} zero-length cells (1 epoch reported each), {ZeroRuns[0].Timeline.Slots} slots");
            Line();
            Line("| run | wall s | cells/s | dispatch p50 ms | p99 ms | max ms | submit → finished s | CPU ms per cell |");
            Line("|---|---|---|---|---|---|---|---|");
            var i = 0;
            foreach (var run in ZeroRuns)
            {
                var t = run.Timeline;
                Line($"| {++i} | {F(t.WallSeconds, "F2")} | {F(t.CellsPerSecond, "F0")} | {F(t.Dispatch.P50, "F2")} | {F(t.Dispatch.P99, "F2")} | {F(t.Dispatch.Max, "F2")} | {F(run.SubmitToFinishedSeconds, "F2")} | {F(run.CpuMsPerCell, "F2")} |");
            }
            Line($"| median | | {F(Median(ZeroRuns.Select(r => r.Timeline.CellsPerSecond)), "F0")} | {F(Median(ZeroRuns.Select(r => r.Timeline.Dispatch.P50)), "F2")} | {F(Median(ZeroRuns.Select(r => r.Timeline.Dispatch.P99)), "F2")} | | | {F(Median(ZeroRuns.Select(r => r.CpuMsPerCell)), "F2")} |");
            Line();
        }

        Line("## For comparison");
        Line();
        Line($"Ray Tune's published figure: 10,000 one-second trials in {RayTuneSeconds:F0} s against {RayTuneIdealSeconds:F0} s ideal, " +
            $"{F((RayTuneSeconds / RayTuneIdealSeconds - 1) * 100, "F1")} % overhead (trials 10× longer than the cells here).");
        Line();

        if (Profile is { Count: > 0 })
        {
            Line("## Profile of the held runs (where the time goes)");
            Line();
            foreach (var run in HeldRuns)
                Line($"This run: wall {F(run.Timeline.WallSeconds, "F2")} s, utilisation {F(run.Timeline.Utilisation * 100, "F2")} %, dispatch p50 " +
                    $"{F(run.Timeline.Dispatch.P50, "F2")} ms, p99 {F(run.Timeline.Dispatch.P99, "F2")} ms, mean hold {F(run.Timeline.MeanHeldMs, "F2")} ms; " +
                    $"no-op call every 50 ms alongside: p50 {F(LocalCallUnderLoad?.P50 ?? double.NaN, "F2")} ms, p99 {F(LocalCallUnderLoad?.P99 ?? double.NaN, "F2")} ms.");
            Line();
            Line("out = a grain call as its caller sees it (round trip, queueing included); in = the grain method's own time (its storage " +
                "writes and awaited calls included); storage = one grain-storage operation. Entries seen fewer than 10 times are left out.");
            Line();
            Line("| what | n | mean ms | p50 ms | p99 ms | max ms |");
            Line("|---|---|---|---|---|---|");
            foreach (var (what, l) in Profile.Where(p => p.Latency.Count >= 10))
                Line($"| `{what}` | {l.Count} | {F(l.Mean, "F3")} | {F(l.P50, "F3")} | {F(l.P99, "F3")} | {F(l.Max, "F3")} |");
            Line();
        }
        return md.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string OrleansVersion()
    {
        var version = typeof(Grain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return version.Split(' ', '+')[0].TrimEnd('.');
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
