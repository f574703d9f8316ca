using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;

using Orleans.Concurrency;

namespace CoS.Distributed.Grains.Interfaces.Sweeps;

/// <summary>A sweep (key: its name): its cells, their progress, and its groups' statistics.</summary>
[Alias("cos.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and expands the sweep and queues its cells. Submitting the same sweep again changes nothing;
    /// a different sweep under an existing name is refused with what differs.
    /// </summary>
    [Alias("Submit")]
    Task<SubmitResult> Submit(SweepSpec spec);

    [Alias("GetStatus")]
    Task<SweepStatus> GetStatus();

    /// <summary>Drops pending cells and asks running ones to stop; their checkpoints stay.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>
    /// Resumes a cancelled sweep: its unfinished cells are pending again and continue from their checkpoints. False when
    /// the sweep does not exist or was not cancelled.
    /// </summary>
    [Alias("Resume")]
    Task<bool> Resume();

    /// <summary>Statistics of every group of the sweep.</summary>
    [Alias("GetStatistics")]
    Task<IReadOnlyList<GroupStatistics>> GetStatistics();

    /// <summary>
    /// A cell's state changed (sent by the cell grain without waiting, so the two grains never wait on each other;
    /// the summary's Version orders updates that arrive out of order).
    /// </summary>
    [Alias("CellChanged"), OneWay]
    Task CellChanged(CellSummary cell);

    /// <summary>Cells that still need a slot (pending) or hold one (running), for rebuilding the scheduler's queue.</summary>
    [Alias("GetUnfinishedWork"), AlwaysInterleave]
    Task<UnfinishedWork> GetUnfinishedWork();
}

/// <summary>The outcome of a submission: accepted, or every problem found.</summary>
[GenerateSerializer, Immutable, Alias("cos.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] bool AlreadySubmitted,
    [property: Id(2)] int CellCount,
    [property: Id(3)] IReadOnlyList<string> Problems);

/// <summary>One line of the sweep's table of cells.</summary>
[GenerateSerializer, Immutable, Alias("cos.CellSummary")]
public sealed record CellSummary(
    [property: Id(0)] string CellId,
    [property: Id(1)] string GroupId,
    [property: Id(2)] CellStatus Status,
    [property: Id(3)] int Attempt,
    [property: Id(4)] int CompletedEpochs,
    [property: Id(5)] int TotalEpochs,
    [property: Id(6)] SlotAddress? Slot,
    [property: Id(7)] string? Error,
    [property: Id(8)] EpochReport? LastEpoch,
    [property: Id(9)] long Version);

[GenerateSerializer, Immutable, Alias("cos.SweepStatus")]
public sealed record SweepStatus
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public bool Exists { get; init; }
    [Id(2)] public bool Cancelled { get; init; }
    [Id(3)] public SweepSpec? Spec { get; init; }
    [Id(4)] public IReadOnlyList<CellSummary> Cells { get; init; } = [];
    [Id(5)] public DateTimeOffset? SubmittedAt { get; init; }
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }

    public int Count(CellStatus status) => Cells.Count(c => c.Status == status);

    public bool Finished => Exists && Cells.All(c => c.Status is not (CellStatus.Pending or CellStatus.Running));
}

[GenerateSerializer, Immutable, Alias("cos.UnfinishedWork")]
public sealed record UnfinishedWork(
    [property: Id(0)] IReadOnlyList<CellAssignment> Pending,
    [property: Id(1)] IReadOnlyList<RunningCell> Running);

[GenerateSerializer, Immutable, Alias("cos.RunningCell")]
public sealed record RunningCell(
    [property: Id(0)] CellAssignment Cell,
    [property: Id(1)] SlotAddress Slot);
