using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

/// <summary>Specs the sweep tests start from and change one field at a time.</summary>
internal static class SampleSpecs
{
    public static CellSpec Cell() => new()
    {
        Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 100, TestPerClass = 50, SubsetSeed = 3 },
        Model = "small_cnn",
        Activation = "cos",
        Seed = 7,
        Epochs = 12,
        BatchSize = 64,
        Optimizer = "sgd",
        LearningRate = 0.05,
        Momentum = 0.9,
        Nesterov = true,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        WarmupEpochs = 2,
        LabelSmoothing = 0.1,
        Augment = true,
        StepEpochs = 30,
        StepGamma = 0.1,
    };

    /// <summary>A valid sweep whose data folder exists (a fresh temporary folder): 2 models × 3 activations × 3 seeds.</summary>
    public static SweepSpec Sweep(string dataFolder) => new()
    {
        Name = "cos-vs-relu",
        Datasets = [new DatasetSpec { Name = "fashion-mnist", Path = dataFolder, TrainPerClass = 20, TestPerClass = 10 }],
        Models = ["small_cnn", "shufflenet_v2_x0_5"],
        Activations = ["relu", "swish", "cos"],
        Seeds = [1, 2, 3],
        Training = new HyperParameterAxes { Epochs = [3], BatchSizes = [32], LearningRates = [0.05] },
        BaselineActivation = "relu",
    };
}

/// <summary>A temporary folder that stands in for a data set folder (validation only checks that it exists).</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cos-sweeps-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
