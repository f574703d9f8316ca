using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Interfaces.Cells;

/// <summary>
/// One cell of a sweep: one training run's complete configuration. Its id is a stable hash of its canonical
/// form (see CellIdentity in CoS.Distributed.Grains), so equal configurations have equal ids.
/// Threads and device are not part of it: they belong to the slot that trains the cell.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.CellSpec")]
public sealed record CellSpec
{
    [Id(0)] public required DatasetSpec Dataset { get; init; }
    [Id(1)] public required string Model { get; init; }
    [Id(2)] public required string Activation { get; init; }
    [Id(3)] public long Seed { get; init; }
    [Id(4)] public double? WidthMultiplier { get; init; }
    [Id(5)] public int? Depth { get; init; }
    [Id(6)] public int? Width { get; init; }
    [Id(7)] public int Epochs { get; init; }
    [Id(8)] public int BatchSize { get; init; }
    [Id(9)] public required string Optimizer { get; init; }
    [Id(10)] public double LearningRate { get; init; }
    [Id(11)] public double Momentum { get; init; }
    [Id(12)] public bool Nesterov { get; init; }
    [Id(13)] public double WeightDecay { get; init; }
    [Id(14)] public required string Schedule { get; init; }
    [Id(15)] public int WarmupEpochs { get; init; }
    [Id(16)] public double LabelSmoothing { get; init; }
    [Id(17)] public bool Augment { get; init; }
    [Id(18)] public int StepEpochs { get; init; }
    [Id(19)] public double StepGamma { get; init; }
}

/// <summary>A cell with its id and group, as the sweep expands it.</summary>
[GenerateSerializer, Immutable, Alias("cos.SweepCell")]
public sealed record SweepCell(
    [property: Id(0)] string CellId,
    [property: Id(1)] string GroupId,
    [property: Id(2)] CellSpec Spec);
