using Orleans.Concurrency;

namespace CoS.Distributed.Grains.Interfaces.Cells;

/// <summary>
/// The authority for one cell's state (key: the cell id). It lives on the silo whose slot trains it.
/// Every state change is persisted before the call returns.
/// </summary>
[Alias("cos.ICellGrain")]
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>Starts a new attempt on a slot: increments the attempt number (fencing older ones).</summary>
    [Alias("BeginAttempt")]
    Task<AttemptStart> BeginAttempt(CellAssignment assignment, SlotAddress slot);

    /// <summary>An epoch finished (and its checkpoint, when one was written, is stored).</summary>
    [Alias("ReportEpoch")]
    Task<ReportAck> ReportEpoch(int attempt, EpochReport epoch, CheckpointPointer? checkpoint);

    /// <summary>The attempt ended: completed, diverged, failed (with error) or cancelled.</summary>
    [Alias("EndAttempt")]
    Task<ReportAck> EndAttempt(int attempt, AttemptEnd end, string? error);

    /// <summary>
    /// The slot is gone (its silo died): if the cell's current attempt runs there, fence it and make the cell
    /// pending again. Returns true when the cell is pending and must be queued again.
    /// </summary>
    [Alias("SlotLost")]
    Task<bool> SlotLost(SlotAddress slot, string reason);

    /// <summary>The sweep was cancelled: a running attempt is told to stop at its next report.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>Reads the state; interleaves with other calls, so a sweep rebuilding its table never waits on a busy cell.</summary>
    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<CellSnapshot> GetSnapshot();
}
