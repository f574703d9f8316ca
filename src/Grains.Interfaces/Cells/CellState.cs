namespace CoS.Distributed.Grains.Interfaces.Cells;

public enum CellStatus
{
    Pending,
    Running,
    Completed,
    Diverged,
    Failed,
    Cancelled,
}

/// <summary>What one epoch of a cell measured (Epoch is 1-based).</summary>
[GenerateSerializer, Immutable, Alias("cos.EpochReport")]
public sealed record EpochReport(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double TrainAccuracy,
    [property: Id(3)] double TestLoss,
    [property: Id(4)] double TestAccuracy,
    [property: Id(5)] double LearningRate,
    [property: Id(6)] double Seconds,
    [property: Id(7)] double SamplesPerSecond);

/// <summary>Where a cell's checkpoint lives in the checkpoint store, and for which epoch.</summary>
[GenerateSerializer, Immutable, Alias("cos.CheckpointPointer")]
public sealed record CheckpointPointer(
    [property: Id(0)] int Epoch,
    [property: Id(1)] string Location);

/// <summary>A slot: one CUDA device or one CPU share of a silo.</summary>
[GenerateSerializer, Immutable, Alias("cos.SlotAddress")]
public sealed record SlotAddress(
    [property: Id(0)] string Silo,
    [property: Id(1)] int Index,
    [property: Id(2)] string Device)
{
    public override string ToString() => $"{Silo}#{Index}({Device})";
}

/// <summary>A cell's state as a user or the scheduler sees it.</summary>
[GenerateSerializer, Immutable, Alias("cos.CellSnapshot")]
public sealed record CellSnapshot
{
    [Id(0)] public required string CellId { get; init; }
    [Id(1)] public string? SweepName { get; init; }
    [Id(2)] public CellSpec? Spec { get; init; }
    [Id(3)] public CellStatus Status { get; init; }

    /// <summary>The current attempt number; every attempt is a fencing token.</summary>
    [Id(4)] public int Attempt { get; init; }

    [Id(5)] public int CompletedEpochs { get; init; }
    [Id(6)] public IReadOnlyList<EpochReport> Epochs { get; init; } = [];
    [Id(7)] public CheckpointPointer? Checkpoint { get; init; }
    [Id(8)] public string? Error { get; init; }
    [Id(9)] public SlotAddress? Slot { get; init; }

    /// <summary>Increases with every change of the cell's state.</summary>
    [Id(10)] public long Version { get; init; }
}
