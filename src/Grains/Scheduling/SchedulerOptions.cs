namespace CoS.Distributed.Grains.Scheduling;

/// <summary>How the scheduler watches leases and keeps itself alive.</summary>
public sealed class SchedulerOptions
{
    /// <summary>How often leases are checked against cluster membership.</summary>
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the queue is reconciled with the sweeps' tables of cells.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reminder period that reactivates the scheduler (on a live silo) while sweeps have unfinished cells.</summary>
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromMinutes(1);
}
