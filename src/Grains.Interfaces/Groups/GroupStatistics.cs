using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Interfaces.Groups;

/// <summary>A finished cell's result as its group counts it.</summary>
[GenerateSerializer, Immutable, Alias("cos.CellResult")]
public sealed record CellResult(
    [property: Id(0)] string CellId,
    [property: Id(1)] long Seed,
    [property: Id(2)] AttemptEnd Outcome,
    [property: Id(3)] IReadOnlyList<EpochReport> Epochs,
    [property: Id(4)] string? Error)
{
    public EpochReport? Final => Epochs.Count == 0 ? null : Epochs[^1];
}

/// <summary>n, mean, sample variance (Welford), standard deviation, 95 % t-interval, min and max of one metric.</summary>
[GenerateSerializer, Immutable, Alias("cos.Summary")]
public sealed record Summary(
    [property: Id(0)] int N,
    [property: Id(1)] double Mean,
    [property: Id(2)] double Variance,
    [property: Id(3)] double StandardDeviation,
    [property: Id(4)] double ConfidenceLow,
    [property: Id(5)] double ConfidenceHigh,
    [property: Id(6)] double Min,
    [property: Id(7)] double Max);

/// <summary>Mean and standard deviation across seeds of one epoch, for the curves.</summary>
[GenerateSerializer, Immutable, Alias("cos.CurvePoint")]
public sealed record CurvePoint(
    [property: Id(0)] int Epoch,
    [property: Id(1)] int N,
    [property: Id(2)] double TestAccuracyMean,
    [property: Id(3)] double TestAccuracyStd,
    [property: Id(4)] double TestLossMean,
    [property: Id(5)] double TestLossStd);

/// <summary>Statistics of a group: the cells of a sweep that differ only in seed.</summary>
[GenerateSerializer, Immutable, Alias("cos.GroupStatistics")]
public sealed record GroupStatistics
{
    [Id(0)] public required string GroupId { get; init; }

    /// <summary>The group's configuration (Seed is 0).</summary>
    [Id(1)] public CellSpec? Spec { get; init; }

    /// <summary>Completed cells: the ones the summaries count.</summary>
    [Id(2)] public int Completed { get; init; }

    [Id(3)] public int Diverged { get; init; }
    [Id(4)] public int Failed { get; init; }
    [Id(5)] public Summary? FinalTestAccuracy { get; init; }
    [Id(6)] public Summary? FinalTestLoss { get; init; }
    [Id(7)] public Summary? EpochSeconds { get; init; }
    [Id(8)] public IReadOnlyList<CurvePoint> Curves { get; init; } = [];

    /// <summary>Every counted cell's result, ordered by seed: the raw per-seed values.</summary>
    [Id(9)] public IReadOnlyList<CellResult> Cells { get; init; } = [];
}
