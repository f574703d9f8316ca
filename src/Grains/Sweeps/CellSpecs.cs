using System.Globalization;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Training.Data;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>Maps a cell to the training core's run, and describes it in one line.</summary>
public static class CellSpecs
{
    /// <summary>The optimizer names a sweep accepts, as the training core's <see cref="OptimizerKind"/>.</summary>
    public static IReadOnlyDictionary<string, OptimizerKind> Optimizers { get; } = new Dictionary<string, OptimizerKind>
    {
        ["sgd"] = OptimizerKind.Sgd,
        ["adam"] = OptimizerKind.Adam,
    };

    /// <summary>The learning-rate schedule names a sweep accepts, as the training core's <see cref="ScheduleKind"/>.</summary>
    public static IReadOnlyDictionary<string, ScheduleKind> Schedules { get; } = new Dictionary<string, ScheduleKind>
    {
        ["cosine"] = ScheduleKind.Cosine,
        ["step"] = ScheduleKind.Step,
        ["constant"] = ScheduleKind.Constant,
    };

    /// <summary>
    /// The training core's run for <paramref name="cell"/> on a slot: <paramref name="threads"/> torch threads
    /// (null leaves the process setting) on <paramref name="device"/> ("cpu" or "cuda:N").
    /// </summary>
    public static RunSpec ToRunSpec(CellSpec cell, int? threads, string device)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(device);
        return new RunSpec
        {
            Dataset = new DatasetOptions
            {
                Name = CellIdentity.CanonicalName(cell.Dataset.Name),
                Path = cell.Dataset.Path,
                TrainPerClass = cell.Dataset.TrainPerClass,
                TestPerClass = cell.Dataset.TestPerClass,
                SubsetSeed = cell.Dataset.SubsetSeed,
            },
            Model = CellIdentity.CanonicalName(cell.Model),
            Activation = cell.Activation,
            Seed = cell.Seed,
            WidthMultiplier = cell.WidthMultiplier,
            Depth = cell.Depth,
            Width = cell.Width,
            Training = new TrainingOptions
            {
                Epochs = cell.Epochs,
                BatchSize = cell.BatchSize,
                Optimizer = Optimizers.TryGetValue(CellIdentity.CanonicalName(cell.Optimizer), out var optimizer)
                    ? optimizer
                    : throw new ArgumentException($"optimizer '{cell.Optimizer}' is not known; use {string.Join(" or ", Optimizers.Keys)}.", nameof(cell)),
                LearningRate = cell.LearningRate,
                Momentum = cell.Momentum,
                Nesterov = cell.Nesterov,
                WeightDecay = cell.WeightDecay,
                Schedule = Schedules.TryGetValue(CellIdentity.CanonicalName(cell.Schedule), out var schedule)
                    ? schedule
                    : throw new ArgumentException($"schedule '{cell.Schedule}' is not known; use {string.Join(", ", Schedules.Keys)}.", nameof(cell)),
                WarmupEpochs = cell.WarmupEpochs,
                StepEpochs = cell.StepEpochs,
                StepGamma = cell.StepGamma,
                LabelSmoothing = cell.LabelSmoothing,
                Augment = cell.Augment,
                Threads = threads,
                Device = device,
            },
        };
    }

    /// <summary>One line naming the cell's settings, for messages and tables.</summary>
    public static string Describe(CellSpec cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var parts = new List<string>
        {
            $"{cell.Dataset.Name}/{cell.Model}/{cell.Activation}",
            $"seed {cell.Seed}",
            $"epochs {cell.Epochs}",
            $"batch {cell.BatchSize}",
            cell.Optimizer,
            $"lr {Format(cell.LearningRate)}",
            $"momentum {Format(cell.Momentum)}",
        };
        if (cell.Nesterov) parts.Add("nesterov");
        parts.Add($"wd {Format(cell.WeightDecay)}");
        parts.Add(cell.Schedule);
        if (cell.WarmupEpochs != 0) parts.Add($"warmup {cell.WarmupEpochs}");
        if (cell.LabelSmoothing != 0) parts.Add($"label smoothing {Format(cell.LabelSmoothing)}");
        if (cell.Augment) parts.Add("augment");
        if (cell.WidthMultiplier is double multiplier) parts.Add($"width multiplier {Format(multiplier)}");
        if (cell.Depth is int depth) parts.Add($"depth {depth}");
        if (cell.Width is int width) parts.Add($"width {width}");
        return string.Join(", ", parts);
    }

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
