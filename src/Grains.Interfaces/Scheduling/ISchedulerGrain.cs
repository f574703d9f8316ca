using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Interfaces.Scheduling;

/// <summary>
/// The cluster's queue of pending cells and the leases on them (a single grain, key 0). Dispatch is pull-based: an
/// idle slot asks for its next cell, so no slot is oversubscribed and a silo that joins late simply starts asking.
/// Sweeps share the slots round-robin. Every lease has an owner (a slot) and a deadline: the slot renews all the
/// leases of its silo with one heartbeat (<see cref="Renew"/>); a lease whose deadline passes, or whose silo leaves
/// the cluster, is taken back — its cell grain fences the attempt and the cell is queued again. Every call that a
/// slot retries is idempotent. The durable truth lives in the sweep and cell grains; this grain's queue and leases
/// are rebuilt from them when it is activated again, and a reminder keeps it alive while work remains.
/// </summary>
[Alias("cos.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Queues cells of a sweep (ignores cells already queued or leased).</summary>
    [Alias("Enqueue")]
    Task Enqueue(string sweepName, IReadOnlyList<CellAssignment> cells);

    /// <summary>
    /// The next cell for an idle slot, or null when nothing is pending. <paramref name="requestId"/> names the request:
    /// asking again with the same id (a retry after a lost reply) returns the lease the first call granted.
    /// </summary>
    [Alias("Lease")]
    Task<CellLease?> Lease(SlotAddress slot, Guid requestId);

    /// <summary>
    /// The next cell for a slot that is still training its last epoch, so that it starts the cell the moment it frees;
    /// null when no more cells are queued than leases are held, since a cell lent ahead then could wait while another
    /// slot idles at the end of a sweep. Idempotent by <paramref name="requestId"/> like <see cref="Lease"/>.
    /// </summary>
    [Alias("LeaseAhead")]
    Task<CellLease?> LeaseAhead(SlotAddress slot, Guid requestId);

    /// <summary>
    /// The heartbeat of one silo's slots: extends every lease they hold and answers the ids of those that are no longer
    /// theirs (lapsed, or taken back), whose attempts must stop.
    /// </summary>
    [Alias("Renew")]
    Task<IReadOnlyList<Guid>> Renew(string silo, IReadOnlyList<HeldLease> leases);

    /// <summary>
    /// The slot is done with a leased cell (finished, or handed back to be queued again when requeue is true). Releasing
    /// again, or a lease that is already gone, changes nothing but the requeue: a cell neither leased nor queued is queued.
    /// </summary>
    [Alias("Release")]
    Task Release(CellLease lease, bool requeue);

    /// <summary>Drops a cancelled or finished sweep's pending cells.</summary>
    [Alias("RemoveSweep")]
    Task RemoveSweep(string sweepName);

    [Alias("GetStatus")]
    Task<SchedulerStatus> GetStatus();
}

/// <summary>A cell lent to a slot until <see cref="Duration"/> after the last renewal.</summary>
[GenerateSerializer, Immutable, Alias("cos.CellLease")]
public sealed record CellLease(
    [property: Id(0)] Guid Id,
    [property: Id(1)] CellAssignment Cell,
    [property: Id(2)] SlotAddress Slot,
    [property: Id(3)] TimeSpan Duration);

/// <summary>A lease as its slot reports it in a heartbeat.</summary>
[GenerateSerializer, Immutable, Alias("cos.HeldLease")]
public sealed record HeldLease(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string SweepName,
    [property: Id(2)] string CellId,
    [property: Id(3)] SlotAddress Slot);

[GenerateSerializer, Immutable, Alias("cos.SchedulerStatus")]
public sealed record SchedulerStatus(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Leased,
    [property: Id(2)] IReadOnlyList<string> ActiveSweeps,
    [property: Id(3)] long LeasesGranted,
    [property: Id(4)] long LeasesLapsed = 0);
