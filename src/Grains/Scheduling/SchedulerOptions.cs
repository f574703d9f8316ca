namespace CoS.Distributed.Grains.Scheduling;

/// <summary>How the scheduler lends cells, watches leases and keeps itself alive.</summary>
public sealed class SchedulerOptions
{
    /// <summary>
    /// How long a lease lasts without a heartbeat. Slots renew theirs every third of it, so a slot that stops (a hung
    /// process, a partitioned node that membership still lists) loses its cells within this time, while a slow storage
    /// call or a pause of a few seconds does not.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are checked against their deadlines and cluster membership.</summary>
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the queue is reconciled with the sweeps' tables of cells.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reminder period that reactivates the scheduler (on a live silo) while sweeps have unfinished cells.</summary>
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromMinutes(1);
}
