using CoS.Distributed.Grains.Interfaces.Cells;

namespace CoS.Distributed.Grains.Interfaces.Sweeps;

/// <summary>
/// A sweep as the user declares it: every list is an axis, and the sweep's cells are the cartesian product of
/// all axes. A list of one value is a fixed setting.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.SweepSpec")]
public sealed record SweepSpec
{
    /// <summary>Unique name of the sweep in the cluster; also its grain key.</summary>
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public IReadOnlyList<DatasetSpec> Datasets { get; init; } = [];
    [Id(2)] public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Registered activation names or formulas in x.</summary>
    [Id(3)] public IReadOnlyList<string> Activations { get; init; } = [];

    [Id(4)] public IReadOnlyList<long> Seeds { get; init; } = [];
    [Id(5)] public HyperParameterAxes Training { get; init; } = new();

    /// <summary>The activation other activations are compared with in reports; null for none.</summary>
    [Id(6)] public string? BaselineActivation { get; init; }

    /// <summary>Write a checkpoint every this many epochs (and always after the last).</summary>
    [Id(7)] public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>Attempts a cell gets before it ends as failed.</summary>
    [Id(8)] public int MaxAttempts { get; init; } = 3;

    /// <summary>Checkpoints kept per cell; older ones are deleted.</summary>
    [Id(9)] public int KeepCheckpoints { get; init; } = 2;

    /// <summary>
    /// Times a cell may lose its slot — its silo died or stopped renewing the lease — before it ends as failed. A cell
    /// that crashes its process (native out-of-memory, a libtorch crash) ends here instead of taking down every silo in
    /// turn. A drain (SIGTERM, Ctrl-C) never counts.
    /// </summary>
    [Id(10)] public int MaxSlotLosses { get; init; } = CellAssignment.DefaultMaxSlotLosses;
}

/// <summary>One value of the dataset axis.</summary>
[GenerateSerializer, Immutable, Alias("cos.DatasetSpec")]
public sealed record DatasetSpec
{
    /// <summary>"fashion-mnist", "mnist" or "cifar10".</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Folder with the data files; null for the standard location.</summary>
    [Id(1)] public string? Path { get; init; }

    [Id(2)] public int? TrainPerClass { get; init; }
    [Id(3)] public int? TestPerClass { get; init; }
    [Id(4)] public int SubsetSeed { get; init; }
}

/// <summary>
/// Training hyper-parameters, each a list: several values make it an axis of the sweep.
/// Model-shape settings (width multiplier, depth, width) are empty for the model's default.
/// </summary>
[GenerateSerializer, Immutable, Alias("cos.HyperParameterAxes")]
public sealed record HyperParameterAxes
{
    [Id(0)] public IReadOnlyList<int> Epochs { get; init; } = [10];
    [Id(1)] public IReadOnlyList<int> BatchSizes { get; init; } = [128];

    /// <summary>"sgd" or "adam".</summary>
    [Id(2)] public IReadOnlyList<string> Optimizers { get; init; } = ["sgd"];

    [Id(3)] public IReadOnlyList<double> LearningRates { get; init; } = [0.1];
    [Id(4)] public IReadOnlyList<double> Momenta { get; init; } = [0.9];
    [Id(5)] public IReadOnlyList<bool> Nesterov { get; init; } = [false];
    [Id(6)] public IReadOnlyList<double> WeightDecays { get; init; } = [5e-4];

    /// <summary>"cosine", "step" or "constant".</summary>
    [Id(7)] public IReadOnlyList<string> Schedules { get; init; } = ["cosine"];

    [Id(8)] public IReadOnlyList<int> WarmupEpochs { get; init; } = [0];
    [Id(9)] public IReadOnlyList<double> LabelSmoothing { get; init; } = [0];
    [Id(10)] public IReadOnlyList<bool> Augment { get; init; } = [false];
    [Id(11)] public IReadOnlyList<double> WidthMultipliers { get; init; } = [];
    [Id(12)] public IReadOnlyList<int> Depths { get; init; } = [];
    [Id(13)] public IReadOnlyList<int> Widths { get; init; } = [];
    [Id(14)] public int StepEpochs { get; init; } = 30;
    [Id(15)] public double StepGamma { get; init; } = 0.1;
}
