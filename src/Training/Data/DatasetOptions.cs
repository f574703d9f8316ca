namespace CoS.Distributed.Training.Data;

/// <summary>Which data set to load, from where, and optionally a stratified subset of it for quick runs.</summary>
public sealed record DatasetOptions
{
    /// <summary>One of <see cref="DatasetCatalog.Names"/>: "fashion-mnist", "mnist", "cifar10".</summary>
    public required string Name { get; init; }

    /// <summary>Folder holding the files; null means the standard location (<see cref="DatasetCatalog.StandardPath"/>).</summary>
    public string? Path { get; init; }

    /// <summary>Keep only this many training examples of each class.</summary>
    public int? TrainPerClass { get; init; }

    /// <summary>Keep only this many test examples of each class.</summary>
    public int? TestPerClass { get; init; }

    /// <summary>Chooses which subset; the same seed always picks the same examples.</summary>
    public int SubsetSeed { get; init; }
}
