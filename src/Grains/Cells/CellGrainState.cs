using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Cells;

/// <summary>The persisted state of a cell: everything needed to resume it on any silo.</summary>
[GenerateSerializer, Alias("cos.CellGrainState")]
public sealed class CellGrainState
{
    [Id(0)] public CellAssignment? Assignment { get; set; }
    [Id(1)] public CellStatus Status { get; set; }
    [Id(2)] public int Attempt { get; set; }
    [Id(3)] public List<EpochReport> Epochs { get; set; } = [];

    /// <summary>The newest checkpoint the cell acknowledged: where the next attempt resumes.</summary>
    [Id(4)] public CheckpointPointer? Checkpoint { get; set; }

    [Id(5)] public string? Error { get; set; }
    [Id(6)] public SlotAddress? Slot { get; set; }

    /// <summary>Attempts that ended in failure; the cell fails for good at the sweep's MaxAttempts.</summary>
    [Id(7)] public int Failures { get; set; }

    [Id(8)] public bool CancelRequested { get; set; }

    /// <summary>The final result has been counted by the cell's group.</summary>
    [Id(9)] public bool Recorded { get; set; }

    /// <summary>Counts every change, so the sweep can order the summaries it receives.</summary>
    [Id(10)] public long Version { get; set; }

    /// <summary>Times the cell lost its slot (silo gone, lease lapsed); the cell fails for good at MaxSlotLosses.</summary>
    [Id(11)] public int SlotLosses { get; set; }

    /// <summary>The lease the running attempt was started under.</summary>
    [Id(12)] public Guid? LeaseId { get; set; }

    /// <summary>How the last attempt ended, so that a repeated end is answered the same way.</summary>
    [Id(13)] public AttemptEnding? LastEnd { get; set; }

    /// <summary>The traceparent of the current (or last) attempt's span, which the next attempt's span links to.</summary>
    [Id(14)] public string? AttemptTrace { get; set; }

    /// <summary>The traceparent of the attempt before the current one.</summary>
    [Id(15)] public string? PreviousAttemptTrace { get; set; }

    /// <summary>A copy to change and write; it becomes the grain's state only once the write succeeded.</summary>
    public CellGrainState Copy()
    {
        var copy = (CellGrainState)MemberwiseClone();
        copy.Epochs = [.. Epochs];
        return copy;
    }
}

/// <summary>The end of one attempt, as recorded.</summary>
[GenerateSerializer, Immutable, Alias("cos.AttemptEnding")]
public sealed record AttemptEnding(
    [property: Id(0)] int Attempt,
    [property: Id(1)] AttemptEnd End,
    [property: Id(2)] bool Requeue);
