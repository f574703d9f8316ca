using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Interfaces.Scheduling;

/// <summary>
/// The cluster's queue of pending cells (a single grain, key 0). Dispatch is pull-based: an idle slot asks for
/// its next cell, so no slot is oversubscribed and a silo that joins late simply starts asking. Sweeps share
/// the slots round-robin. The durable truth lives in the sweep and cell grains; this grain's queue is rebuilt
/// from them when it is activated again (after its silo died), and a reminder keeps it alive while work remains.
/// </summary>
[Alias("cos.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Queues cells of a sweep (ignores cells already queued or leased).</summary>
    [Alias("Enqueue")]
    Task Enqueue(string sweepName, IReadOnlyList<CellAssignment> cells);

    /// <summary>The next cell for an idle slot, or null when nothing is pending.</summary>
    [Alias("Lease")]
    Task<CellAssignment?> Lease(SlotAddress slot);

    /// <summary>
    /// The next cell for a slot that is still training its last epoch, so that it starts the cell the moment it frees;
    /// null when no more cells are queued than leases are held, since a cell lent ahead then could wait while another
    /// slot idles at the end of a sweep. The slot starts the cell with BeginAttempt or releases it (requeue) as usual.
    /// </summary>
    [Alias("LeaseAhead")]
    Task<CellAssignment?> LeaseAhead(SlotAddress slot);

    /// <summary>The slot is done with the cell (finished, or handed back to be queued again when requeue is true).</summary>
    [Alias("Release")]
    Task Release(string cellId, SlotAddress slot, bool requeue);

    /// <summary>Drops a cancelled sweep's pending cells.</summary>
    [Alias("RemoveSweep")]
    Task RemoveSweep(string sweepName);

    [Alias("GetStatus")]
    Task<SchedulerStatus> GetStatus();
}

[GenerateSerializer, Immutable, Alias("cos.SchedulerStatus")]
public sealed record SchedulerStatus(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Leased,
    [property: Id(2)] IReadOnlyList<string> ActiveSweeps,
    [property: Id(3)] long LeasesGranted);
