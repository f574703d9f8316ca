namespace CoS.Distributed.Grains.Interfaces.Cells;

/// <summary>
/// Work the scheduler hands to a slot: a cell to train, and the W3C traceparent of the sweep's submit, which every
/// attempt's span links to (a slot thread is no grain call, so the context travels in the work itself).
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.CellAssignment")]
public sealed record CellAssignment(
    [property: Id(0)] string SweepName,
    [property: Id(1)] string CellId,
    [property: Id(2)] string GroupId,
    [property: Id(3)] CellSpec Spec,
    [property: Id(4)] int MaxAttempts,
    [property: Id(5)] int CheckpointEveryEpochs,
    [property: Id(6)] int KeepCheckpoints,
    [property: Id(7)] int MaxSlotLosses = CellAssignment.DefaultMaxSlotLosses,
    [property: Id(8)] string? TraceParent = null)
{
    /// <summary>Times a cell may lose its slot (its silo died, its lease lapsed) before it ends as failed.</summary>
    public const int DefaultMaxSlotLosses = 3;
}

/// <summary>
/// A started attempt: the fencing token every report must carry, and where to resume from.
/// Null Attempt fields never occur; a cell that must not start answers with Started = false and a reason.
/// PreviousAttemptTrace is the traceparent of the attempt this one replaces, for a span link.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.AttemptStart")]
public sealed record AttemptStart(
    [property: Id(0)] bool Started,
    [property: Id(1)] int Attempt,
    [property: Id(2)] int CompletedEpochs,
    [property: Id(3)] CheckpointPointer? Checkpoint,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? PreviousAttemptTrace = null);

public enum AttemptEnd
{
    Completed,
    Diverged,
    Failed,
    Cancelled,

    /// <summary>The slot stopped the attempt (its silo is shutting down): the cell waits for another slot.</summary>
    HandedBack,
}

/// <summary>
/// The answer to a report. Accepted = false means the attempt is stale (fenced off) and must stop;
/// CancelRequested asks a running attempt to stop; Requeue says the cell is pending again (a retry after a failure,
/// or a hand-back) and the slot must return it to the queue when it lets go.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.ReportAck")]
public sealed record ReportAck(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] bool CancelRequested = false,
    [property: Id(3)] bool Requeue = false);
