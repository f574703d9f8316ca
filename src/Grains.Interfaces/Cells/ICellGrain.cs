using Orleans.Concurrency;

namespace CoS.Distributed.Grains.Interfaces.Cells;

/// <summary>
/// The authority for one cell's state (key: "{sweep}/{cell id}"). It lives on the silo whose slot trains it. Every
/// state change is written to storage first and becomes the grain's state only when the write succeeded, so a call
/// that failed can be retried: every call a slot makes is idempotent.
/// </summary>
[Alias("cos.ICellGrain")]
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts a new attempt on a slot under a lease: increments the attempt number (fencing older ones). Beginning again
    /// under the same lease (a retry after a lost reply) answers the attempt already started. <paramref name="trace"/> is
    /// the traceparent of the attempt's span, kept so that the next attempt's span can link to it.
    /// </summary>
    [Alias("BeginAttempt")]
    Task<AttemptStart> BeginAttempt(CellAssignment assignment, SlotAddress slot, Guid leaseId, string? trace = null);

    /// <summary>
    /// An epoch finished (and its checkpoint, when one was written, is stored). Reporting the same epoch again changes
    /// nothing; an epoch out of order ends the attempt as failed and the answer says to queue the cell again.
    /// </summary>
    [Alias("ReportEpoch")]
    Task<ReportAck> ReportEpoch(int attempt, EpochReport epoch, CheckpointPointer? checkpoint);

    /// <summary>
    /// The attempt ended: completed, diverged, failed (with error), cancelled or handed back. Ending the same attempt
    /// again (a retry) replays the side effects — the group's record, the sweep's notice — and gives the same answer.
    /// </summary>
    [Alias("EndAttempt")]
    Task<ReportAck> EndAttempt(int attempt, AttemptEnd end, string? error);

    /// <summary>
    /// The slot is gone (its silo died, or its lease lapsed): if the cell's current attempt runs there, fence it and
    /// make the cell pending again, counting a lost slot; past the assignment's MaxSlotLosses the cell ends as failed.
    /// Returns true when the cell is pending and must be queued again.
    /// </summary>
    [Alias("SlotLost")]
    Task<bool> SlotLost(SlotAddress slot, string reason);

    /// <summary>The sweep was cancelled: a running attempt is told to stop at its next report.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>The sweep was resumed after a cancel: a cancelled cell that had not finished is pending again.</summary>
    [Alias("Resume")]
    Task<bool> Resume();

    /// <summary>Reads the state; interleaves with other calls, so a sweep rebuilding its table never waits on a busy cell.</summary>
    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<CellSnapshot> GetSnapshot();
}
