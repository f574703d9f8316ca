using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Silo.Cells;

/// <summary>How an attempt ended, seen from the slot.</summary>
public enum AttemptOutcome
{
    Completed,
    Diverged,
    Failed,
    Cancelled,
    HandedBack,

    /// <summary>The cell grain refused a report: this attempt is stale and must stop without another word.</summary>
    Fenced,
}

public sealed record AttemptResult(AttemptOutcome Outcome, string? Detail = null);

/// <summary>One attempt at a cell on a slot: what to train, where to resume, and how to report.</summary>
public sealed record AttemptContext(
    CellAssignment Assignment,
    AttemptStart Start,
    SlotAddress Slot,
    Func<EpochReport, CheckpointPointer?, ReportAck> ReportEpoch);

/// <summary>Trains one attempt of a cell on the calling (slot) thread, reporting every epoch.</summary>
public interface ICellTrainer
{
    AttemptResult Train(AttemptContext attempt, CancellationToken stopping);
}
