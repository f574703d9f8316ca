using System.Diagnostics.Metrics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Telemetry;

namespace CoS.Distributed.Grains.Telemetry;

/// <summary>The grains' instruments on the project's meter (names and units after the OpenTelemetry conventions).</summary>
internal static class GrainMetrics
{
    /// <summary>Attempts fenced because their slot was lost (silo gone, lease lapsed).</summary>
    public static readonly Counter<long> AttemptsFenced = CosTelemetry.Meter.CreateCounter<long>(
        "cos.attempts.fenced", "{attempt}", "Attempts fenced because their slot was lost: the silo left the cluster or the lease lapsed");

    /// <summary>
    /// Cells by state per sweep, as the sweep grains on this silo count them: each activation adds its table when it
    /// is built and moves a cell between states as it changes, so the sum over silos is the cluster's count.
    /// </summary>
    public static readonly UpDownCounter<long> Cells = CosTelemetry.Meter.CreateUpDownCounter<long>(
        "cos.cells", "{cell}", "Cells by sweep and state");

    private static int pending;
    private static int leased;
    private static int hosted;

    static GrainMetrics()
    {
        CosTelemetry.Meter.CreateObservableUpDownCounter("cos.queue.depth", () => Observe(pending), "{cell}", "Cells waiting for a slot");
        CosTelemetry.Meter.CreateObservableUpDownCounter("cos.leases", () => Observe(leased), "{lease}", "Cells lent to slots");
    }

    /// <summary>The scheduler's queue and leases, reported by the silo that hosts the scheduler.</summary>
    public static void Scheduler(int queued, int leases)
    {
        Volatile.Write(ref pending, queued);
        Volatile.Write(ref leased, leases);
        Volatile.Write(ref hosted, 1);
    }

    public static void SchedulerGone() => Volatile.Write(ref hosted, 0);

    public static void CellMoved(string sweep, CellStatus? from, CellStatus to)
    {
        if (from == to) return;
        if (from is { } old) Cells.Add(-1, new(CosTags.Sweep, sweep), new(CosTags.State, State(old)));
        Cells.Add(1, new(CosTags.Sweep, sweep), new(CosTags.State, State(to)));
    }

    public static void CellGone(string sweep, CellStatus state) =>
        Cells.Add(-1, new(CosTags.Sweep, sweep), new(CosTags.State, State(state)));

    private static string State(CellStatus status) => status.ToString().ToLowerInvariant();

    private static IEnumerable<Measurement<int>> Observe(int value) =>
        Volatile.Read(ref hosted) == 1 ? [new Measurement<int>(value)] : [];
}
