using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

public sealed class SweepDifferenceTests
{
    private static SweepSpec Existing() => SampleSpecs.Sweep("/data/fashion");

    [Fact]
    public void TheSameSweepHasNoDifferences()
    {
        Assert.Empty(SweepDifference.Describe(Existing(), Existing()));
        Assert.True(SweepDifference.AreSame(Existing(), Existing()));
    }

    [Fact]
    public void OtherOrderAndSpellingOfTheSameValuesIsNoDifference()
    {
        var submitted = Existing() with
        {
            Models = ["SHUFFLENET_V2_X0_5", "small_cnn"],
            Activations = ["cos", "SiLU", " relu"],
            Seeds = [3, 1, 2],
            Datasets = [Existing().Datasets[0] with { Name = "Fashion-MNIST", Path = "/data/fashion/" }],
            BaselineActivation = "ReLU",
        };
        Assert.Empty(SweepDifference.Describe(Existing(), submitted));
    }

    [Fact]
    public void ChangedAxesAreListedWithBothValueLists()
    {
        var submitted = Existing() with { Seeds = [1, 2, 4], Models = ["small_cnn"] };
        Assert.Equal(
            ["models: [small_cnn, shufflenet_v2_x0_5] → [small_cnn]", "seeds: [1, 2, 3] → [1, 2, 4]"],
            SweepDifference.Describe(Existing(), submitted));
    }

    [Fact]
    public void EveryKindOfFieldIsCompared()
    {
        var before = Existing();
        var after = before with
        {
            Datasets = [before.Datasets[0] with { TrainPerClass = 50 }],
            Activations = ["relu", "swish"],
            Training = before.Training with
            {
                Epochs = [3, 6],
                BatchSizes = [64],
                Optimizers = ["adam"],
                LearningRates = [0.001],
                Momenta = [0.8],
                Nesterov = [true],
                WeightDecays = [0],
                Schedules = ["step"],
                WarmupEpochs = [1],
                LabelSmoothing = [0.1],
                Augment = [true],
                WidthMultipliers = [0.5],
                Depths = [2],
                Widths = [32],
                StepEpochs = 5,
                StepGamma = 0.5,
            },
            BaselineActivation = null,
            CheckpointEveryEpochs = 2,
            MaxAttempts = 5,
            KeepCheckpoints = 3,
        };
        Assert.Equal(
        [
            "datasets: [fashion-mnist (path /data/fashion, train_per_class 20, test_per_class 10)] → [fashion-mnist (path /data/fashion, train_per_class 50, test_per_class 10)]",
            "activations: [relu, swish, cos] → [relu, swish]",
            "training.epochs: [3] → [3, 6]",
            "training.batch_sizes: [32] → [64]",
            "training.optimizers: [sgd] → [adam]",
            "training.learning_rates: [0.05] → [0.001]",
            "training.momenta: [0.9] → [0.8]",
            "training.nesterov: [false] → [true]",
            "training.weight_decays: [0.0005] → [0]",
            "training.schedules: [cosine] → [step]",
            "training.warmup_epochs: [0] → [1]",
            "training.label_smoothing: [0] → [0.1]",
            "training.augment: [false] → [true]",
            "training.width_multipliers: [] → [0.5]",
            "training.depths: [] → [2]",
            "training.widths: [] → [32]",
            "training.step_epochs: 30 → 5",
            "training.step_gamma: 0.1 → 0.5",
            "baseline_activation: relu → none",
            "checkpoint_every_epochs: 1 → 2",
            "max_attempts: 3 → 5",
            "keep_checkpoints: 2 → 3",
        ],
        SweepDifference.Describe(before, after));
    }
}
