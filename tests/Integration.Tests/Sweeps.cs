using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Integration.Tests;

internal static class Sweeps
{
    /// <summary>12 cells: Fashion-MNIST subset, the small CNN, ReLU / Swish / CoS, 4 seeds, 3 epochs.</summary>
    public static SweepSpec FashionMnist(string name) => new()
    {
        Name = name,
        Datasets = [new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 150, TestPerClass = 40, SubsetSeed = 1 }],
        Models = ["small_cnn"],
        Activations = ["relu", "swish", "cos"],
        Seeds = [1, 2, 3, 4],
        Training = new HyperParameterAxes
        {
            Epochs = [3],
            BatchSizes = [50],
            LearningRates = [0.05],
            WarmupEpochs = [0],
            Augment = [true],
        },
        BaselineActivation = "relu",
        MaxAttempts = 3,
    };
}
