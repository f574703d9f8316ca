using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Grains.Telemetry;
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
/// Pull-based dispatch: the queue of pending cells (<see cref="CellQueue"/>) and the leases on them
/// (<see cref="LeaseTable"/>). A lease is taken back when its deadline passes without a heartbeat or when its silo
/// leaves the cluster: the cell grain fences that attempt (counting a lost slot) and the cell is queued again, at the
/// front. The queue and leases are derived state: after this grain moves (its silo died) they are rebuilt from the
/// active sweeps, whose running cells get leases that their slots' next heartbeat claims, and a reminder reactivates
/// this grain while any sweep has unfinished cells.
/// </summary>
public sealed partial class SchedulerGrain(
    [PersistentState("scheduler", CosGrainStorage.Name)] IPersistentState<SchedulerGrainState> state,
    IClusterMembershipService membership,
    IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain, IRemindable
{
    private const string KeepAliveReminder = "keep-alive";
    private readonly CellQueue queue = new();
    private readonly LeaseTable leases = new(clock, options.Value.LeaseDuration);
    private long granted;
    private long lapsed;
    private DateTime nextReconcile = DateTime.UtcNow + options.Value.ReconcileInterval;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var sweep in state.State.ActiveSweeps.ToList()) Absorb(await GrainFactory.GetGrain<ISweepGrain>(sweep).GetUnfinishedWork());
        Report();
        this.RegisterGrainTimer(WatchLeases, options.Value.LeaseCheckInterval, options.Value.LeaseCheckInterval);
        if (state.State.ActiveSweeps.Count > 0)
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.KeepAlivePeriod, options.Value.KeepAlivePeriod, cancellationToken);
    }

    public async Task Enqueue(string sweepName, IReadOnlyList<CellAssignment> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        using var span = CosTelemetry.Source.StartActivity("scheduler.enqueue");
        span?.SetTag(CosTags.Sweep, sweepName);
        span?.SetTag(CosTags.Cells, cells.Count);
        if (state.State.ActiveSweeps.Add(sweepName))
        {
            await WriteOrUndo(() => state.State.ActiveSweeps.Remove(sweepName));
            await this.RegisterOrUpdateReminder(KeepAliveReminder, options.Value.KeepAlivePeriod, options.Value.KeepAlivePeriod);
        }
        foreach (var cell in cells) Queue(cell, front: false);
        Report();
    }

    public Task<CellLease?> Lease(SlotAddress slot, Guid requestId) => Task.FromResult(Grant(slot, requestId, ahead: false));

    public Task<CellLease?> LeaseAhead(SlotAddress slot, Guid requestId) => Task.FromResult(Grant(slot, requestId, ahead: true));

    public Task<IReadOnlyList<Guid>> Renew(string silo, IReadOnlyList<HeldLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        IReadOnlyList<Guid> lost = [.. leases.Where(h => h.Slot.Silo != silo || !this.leases.Renew(h)).Select(h => h.Id)];
        return Task.FromResult(lost);
    }

    public Task Release(CellLease lease, bool requeue)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (leases.Find(lease) is { } held) leases.Remove(held);
        if (requeue) Queue(lease.Cell, front: true);
        Report();
        return Task.CompletedTask;
    }

    public async Task RemoveSweep(string sweepName)
    {
        queue.RemoveSweep(sweepName);
        if (state.State.ActiveSweeps.Remove(sweepName)) await WriteOrUndo(() => state.State.ActiveSweeps.Add(sweepName));
        if (state.State.ActiveSweeps.Count == 0 && await this.GetReminder(KeepAliveReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    /// <summary>Writes the set of active sweeps; a failed write undoes the change, so memory never holds what storage may not.</summary>
    private async Task WriteOrUndo(Action undo)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    public Task<SchedulerStatus> GetStatus() =>
        Task.FromResult(new SchedulerStatus(queue.Count, leases.Count, [.. state.State.ActiveSweeps], granted, lapsed));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private CellLease? Grant(SlotAddress slot, Guid requestId, bool ahead)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (leases.ById(requestId) is { } earlier && earlier.Lease.Slot == slot) return earlier.Lease;
        if (ahead && queue.Count <= leases.Count) return null;
        if (queue.Take() is not { } cell) return null;
        granted++;
        var lease = leases.Grant(requestId, cell, slot);
        Report();
        return lease;
    }

    /// <summary>The queue depth and leases this silo's metrics report while it hosts the scheduler.</summary>
    private void Report() => GrainMetrics.Scheduler(queue.Count, leases.Count);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        GrainMetrics.SchedulerGone();
        return Task.CompletedTask;
    }

    /// <summary>Queues a cell that is neither queued nor leased, and belongs to a sweep that still runs.</summary>
    private void Queue(CellAssignment cell, bool front)
    {
        if (!state.State.ActiveSweeps.Contains(cell.SweepName) || leases.Holds(CellKey.Of(cell.SweepName, cell.CellId))) return;
        queue.Add(cell, front);
    }

    /// <summary>
    /// Brings queue and leases in line with a sweep's table: a running cell that no lease covers gets one, which lapses
    /// unless its slot's heartbeat claims it; a pending cell neither queued nor leased is queued. The table may be
    /// older than what it describes (a notice still on its way), so nothing here overrides a lease or the queue.
    /// </summary>
    private void Absorb(UnfinishedWork work)
    {
        foreach (var running in work.Running)
        {
            var key = CellKey.Of(running.Cell.SweepName, running.Cell.CellId);
            if (!leases.Holds(key) && !queue.Contains(key)) leases.Adopt(running.Cell, running.Slot);
        }
        foreach (var pending in work.Pending) Queue(pending, front: false);
    }

    private async Task WatchLeases(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow >= nextReconcile)
        {
            nextReconcile = DateTime.UtcNow + options.Value.ReconcileInterval;
            foreach (var sweep in state.State.ActiveSweeps.ToList()) Absorb(await GrainFactory.GetGrain<ISweepGrain>(sweep).GetUnfinishedWork());
        }
        Report();
        if (leases.Count == 0) return;
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet();
        var gone = leases.All.Where(l => !active.Contains(l.Lease.Slot.Silo)).Select(l => (l, "its silo is no longer an active cluster member"));
        var expired = leases.Expired().Where(l => active.Contains(l.Lease.Slot.Silo))
            .Select(l => (l, $"its lease lapsed: no heartbeat from its slot for {options.Value.LeaseDuration.TotalSeconds:0.#} s"));
        foreach (var (lease, reason) in gone.Concat(expired).ToList()) await TakeBack(lease, reason);
        Report();
    }

    /// <summary>Fences the lease's attempt at its cell grain, then forgets the lease and queues the cell when it is pending.</summary>
    private async Task TakeBack(LeaseTable.Entry lease, string reason)
    {
        var cell = lease.Lease.Cell;
        var requeue = await GrainFactory.GetGrain<ICellGrain>(CellKey.Of(cell.SweepName, cell.CellId)).SlotLost(lease.Lease.Slot, reason);
        leases.Remove(lease);
        lapsed++;
        LogLeaseTakenBack(logger, cell.CellId, cell.SweepName, lease.Lease.Slot, reason, requeue);
        if (requeue) Queue(cell, front: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of cell {CellId} of sweep {Sweep} on {Slot} taken back ({Reason}); queued again: {Requeued}")]
    private static partial void LogLeaseTakenBack(ILogger logger, string cellId, string sweep, SlotAddress slot, string reason, bool requeued);
}
