using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CoS.Distributed.Grains.Scheduling;

[GenerateSerializer, Alias("cos.SchedulerGrainState")]
public sealed class SchedulerGrainState
{
    /// <summary>Sweeps with unfinished cells: the queue is rebuilt from them when this grain activates again.</summary>
    [Id(0)] public HashSet<string> ActiveSweeps { get; set; } = [];
}

/// <summary>
/// The pending-cell queue behind pull-based dispatch. Idle slots lease cells; sweeps take turns (round-robin) so
/// several sweeps share the cluster fairly. Leases held by a silo that membership no longer lists as active are
/// taken back: the cell grain fences that attempt and the cell is queued again, at the front.
/// The in-memory queue is derived state: after this grain moves (its silo died) it is rebuilt from the active
/// sweeps, and a reminder reactivates it while any sweep has unfinished cells.
/// </summary>
public sealed partial class SchedulerGrain(
    [PersistentState("scheduler", CosGrainStorage.Name)] IPersistentState<SchedulerGrainState> state,
    IClusterMembershipService membership,
    IOptions<SchedulerOptions> options,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain, IRemindable
{
    private const string KeepAliveReminder = "keep-alive";
    private readonly Dictionary<string, LinkedList<CellAssignment>> queues = [];
    private readonly Dictionary<string, Holding> leases = [];
    private readonly HashSet<string> queued = [];
    private readonly List<string> rotation = [];
    private int nextSweep;
    private long granted;
    private DateTime nextReconcile = DateTime.UtcNow;

    private sealed record Holding(CellAssignment Cell, SlotAddress Slot);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var sweep in state.State.ActiveSweeps.ToList())
        {
            var work = await GrainFactory.GetGrain<ISweepGrain>(sweep).GetUnfinishedWork();
            foreach (var running in work.Running) leases[running.Cell.CellId] = new Holding(running.Cell, running.Slot);
            Add(sweep, work.Pending, front: false);
        }
        this.RegisterGrainTimer(WatchLeases, options.Value.LeaseCheckInterval, options.Value.LeaseCheckInterval);
        if (state.State.ActiveSweeps.Count > 0)
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.KeepAlivePeriod, options.Value.KeepAlivePeriod, cancellationToken);
    }

    public async Task Enqueue(string sweepName, IReadOnlyList<CellAssignment> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (state.State.ActiveSweeps.Add(sweepName))
        {
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.KeepAlivePeriod, options.Value.KeepAlivePeriod);
        }
        Add(sweepName, cells, front: false);
    }

    public Task<CellAssignment?> Lease(SlotAddress slot)
    {
        for (var tried = 0; tried < rotation.Count; tried++)
        {
            var sweep = rotation[nextSweep % rotation.Count];
            nextSweep = (nextSweep + 1) % rotation.Count;
            if (!queues.TryGetValue(sweep, out var queue) || queue.First is not { } first) continue;
            queue.RemoveFirst();
            queued.Remove(first.Value.CellId);
            leases[first.Value.CellId] = new Holding(first.Value, slot);
            granted++;
            return Task.FromResult<CellAssignment?>(first.Value);
        }
        return Task.FromResult<CellAssignment?>(null);
    }

    public Task<CellAssignment?> LeaseAhead(SlotAddress slot) =>
        queued.Count > leases.Count ? Lease(slot) : Task.FromResult<CellAssignment?>(null);

    public Task Release(string cellId, SlotAddress slot, bool requeue)
    {
        if (!leases.TryGetValue(cellId, out var lease) || lease.Slot != slot) return Task.CompletedTask;
        leases.Remove(cellId);
        if (requeue && state.State.ActiveSweeps.Contains(lease.Cell.SweepName)) Add(lease.Cell.SweepName, [lease.Cell], front: true);
        return Task.CompletedTask;
    }

    public async Task RemoveSweep(string sweepName)
    {
        if (queues.Remove(sweepName, out var queue))
            foreach (var cell in queue) queued.Remove(cell.CellId);
        rotation.Remove(sweepName);
        if (state.State.ActiveSweeps.Remove(sweepName)) await state.WriteStateAsync();
        if (state.State.ActiveSweeps.Count == 0 && await this.GetReminder(KeepAliveReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    public Task<SchedulerStatus> GetStatus() =>
        Task.FromResult(new SchedulerStatus(queued.Count, leases.Count, [.. state.State.ActiveSweeps], granted));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private void Add(string sweep, IEnumerable<CellAssignment> cells, bool front)
    {
        if (!queues.TryGetValue(sweep, out var queue))
        {
            queues[sweep] = queue = new LinkedList<CellAssignment>();
            rotation.Add(sweep);
        }
        foreach (var cell in cells)
        {
            if (leases.ContainsKey(cell.CellId) || !queued.Add(cell.CellId)) continue;
            if (front) queue.AddFirst(cell);
            else queue.AddLast(cell);
        }
    }

    private async Task WatchLeases(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow >= nextReconcile)
        {
            nextReconcile = DateTime.UtcNow + options.Value.ReconcileInterval;
            await Reconcile();
        }
        if (leases.Count == 0) return;
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet();
        foreach (var lease in leases.Values.Where(l => !active.Contains(l.Slot.Silo)).ToList())
        {
            var cell = GrainFactory.GetGrain<ICellGrain>(CellKey.Of(lease.Cell.SweepName, lease.Cell.CellId));
            var requeue = await cell.SlotLost(lease.Slot, "its silo is no longer an active cluster member");
            leases.Remove(lease.Cell.CellId);
            LogLeaseTakenBack(logger, lease.Cell.CellId, lease.Slot, requeue);
            if (requeue) Add(lease.Cell.SweepName, [lease.Cell], front: true);
        }
    }

    /// <summary>
    /// Brings the queue in line with the sweeps' tables: running cells get a watched lease, pending cells that are
    /// neither queued nor leased are queued. Covers a refused start racing a rebuild, and lost notifications.
    /// </summary>
    private async Task Reconcile()
    {
        foreach (var sweep in state.State.ActiveSweeps.ToList())
        {
            var work = await GrainFactory.GetGrain<ISweepGrain>(sweep).GetUnfinishedWork();
            foreach (var running in work.Running)
            {
                if (leases.TryGetValue(running.Cell.CellId, out var lease) && lease.Slot == running.Slot) continue;
                leases[running.Cell.CellId] = new Holding(running.Cell, running.Slot);
                if (queued.Remove(running.Cell.CellId)) queues[sweep].Remove(running.Cell);
            }
            Add(sweep, work.Pending, front: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of cell {CellId} on {Slot} taken back (silo gone); queued again: {Requeued}")]
    private static partial void LogLeaseTakenBack(ILogger logger, string cellId, SlotAddress slot, bool requeued);
}
