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
}
