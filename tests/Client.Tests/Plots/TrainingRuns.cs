using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Statistics;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Client.Tests.Plots;

/// <summary>
/// Groups as a sweep's statistics give them: per-seed epoch reports turned into GroupStatistics by the real calculator.
/// Each activation learns towards its own final accuracy, so its curve lies at a known height relative to the others.
/// </summary>
internal static class TrainingRuns
{
    /// <summary>Final mean test accuracy per activation: CoS above Swish above ReLU, far enough apart that bands do not touch.</summary>
    public static readonly IReadOnlyDictionary<string, double> FinalAccuracy = new Dictionary<string, double>
    {
        ["relu"] = 0.78,
        ["swish"] = 0.84,
        ["cos"] = 0.90,
    };

    public static CellSpec Spec(string activation, string model = "small_cnn", double learningRate = 0.05, int epochs = 10) => new()
    {
        Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 100, TestPerClass = 20 },
        Model = model,
        Activation = activation,
        Epochs = epochs,
        BatchSize = 64,
        Optimizer = "sgd",
        LearningRate = learningRate,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        StepEpochs = 30,
        StepGamma = 0.1,
    };

    /// <summary>The statistics of one group: <paramref name="seeds"/> completed runs of <paramref name="spec"/>, with seed-to-seed spread.</summary>
    public static GroupStatistics Group(CellSpec spec, int seeds = 5)
    {
        var final = FinalAccuracy.GetValueOrDefault(spec.Activation, 0.85);
        var results = Enumerable.Range(1, seeds).Select(seed =>
        {
            var cell = spec with { Seed = seed };
            var noise = new Random(seed * 7919 + spec.Activation.Length);
            var epochs = Enumerable.Range(1, spec.Epochs).Select(epoch =>
            {
                var progress = 1 - Math.Exp(-epoch / 2.5);
                var accuracy = 0.55 + (final - 0.55) * progress + (noise.NextDouble() - 0.5) * 0.03;
                var loss = 1.6 - 1.2 * progress - 2 * (final - 0.78) + (noise.NextDouble() - 0.5) * 0.06;
                return new EpochReport(epoch, loss * 0.9, accuracy + 0.02, loss, accuracy, 0.05, 2.0, 3000);
            }).ToList();
            return new CellResult(CellIdentity.CellId(cell), seed, AttemptEnd.Completed, epochs, null);
        });
        return GroupStatisticsCalculator.Compute(CellIdentity.GroupId(spec), spec, results);
    }

    /// <summary>ReLU, Swish and CoS groups of one configuration.</summary>
    public static IEnumerable<GroupStatistics> ThreeActivations(string model = "small_cnn", double learningRate = 0.05, int epochs = 10) =>
        FinalAccuracy.Keys.Select(a => Group(Spec(a, model, learningRate, epochs)));
}
