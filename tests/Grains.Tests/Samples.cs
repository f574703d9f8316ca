using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Tests;

internal static class Samples
{
    private static int counter;

    /// <summary>A unique name per call, so tests sharing one cluster never share a grain.</summary>
    public static string Name(string prefix) => $"{prefix}-{Interlocked.Increment(ref counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static CellSpec Cell(long seed = 1, string activation = "relu") => new()
    {
        Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 10, TestPerClass = 5 },
        Model = "small_cnn",
        Activation = activation,
        Seed = seed,
        Epochs = 3,
        BatchSize = 32,
        Optimizer = "sgd",
        LearningRate = 0.05,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        StepEpochs = 30,
        StepGamma = 0.1,
    };

    public static CellAssignment Assignment(string sweep, string cellId, long seed = 1, int maxAttempts = 3) =>
        new(sweep, cellId, "group-" + cellId, Cell(seed), maxAttempts, 1, 2);

    public static EpochReport Epoch(int epoch, double accuracy = 0.5) =>
        new(epoch, 1.0 / epoch, accuracy, 1.1 / epoch, accuracy, 0.05, 1.5, 640);

    public static SlotAddress Slot(string silo = "silo-a", int index = 0) => new(silo, index, "cpu");

    public static SweepSpec Sweep(string name, params long[] seeds) => new()
    {
        Name = name,
        Datasets = [new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 10, TestPerClass = 5 }],
        Models = ["small_cnn"],
        Activations = ["relu", "cos"],
        Seeds = seeds.Length == 0 ? [1, 2] : seeds,
        Training = new HyperParameterAxes { Epochs = [2], BatchSizes = [32], LearningRates = [0.05] },
        BaselineActivation = "relu",
    };
}
