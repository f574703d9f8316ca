using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>A sweep's cells: the cartesian product of all its axes.</summary>
public static class SweepExpansion
{
    /// <summary>
    /// Every cell of the sweep with its id and group, in a fixed order: datasets outermost, then models, activations,
    /// the training axes in declaration order (epochs … widths), seeds innermost, so a group's cells are adjacent.
    /// Specs are canonical (<see cref="CellIdentity.Canonical(CellSpec)"/>). An empty model-shape axis means the
    /// model's default (null); any other empty axis gives no cells. Cells that come out equal (an axis listing a value
    /// twice, which <see cref="SweepValidator"/> refuses) appear once, at their first position.
    /// </summary>
    public static IReadOnlyList<SweepCell> Expand(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var t = spec.Training;
        var cells = new List<SweepCell>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Each value is normalised once here rather than once per cell: a sweep may have 100 000 cells.
        var groups =
            from dataset in spec.Datasets.Select(CellIdentity.Canonical)
            from model in spec.Models.Select(CellIdentity.CanonicalName)
            from activation in spec.Activations.Select(CellIdentity.CanonicalActivation)
            from epochs in t.Epochs
            from batchSize in t.BatchSizes
            from optimizer in t.Optimizers.Select(CellIdentity.CanonicalName)
            from learningRate in t.LearningRates
            from momentum in t.Momenta
            from nesterov in t.Nesterov
            from weightDecay in t.WeightDecays
            from schedule in t.Schedules.Select(CellIdentity.CanonicalName)
            from warmup in t.WarmupEpochs
            from labelSmoothing in t.LabelSmoothing
            from augment in t.Augment
            from widthMultiplier in OrDefault(t.WidthMultipliers)
            from depth in OrDefault(t.Depths)
            from width in OrDefault(t.Widths)
            select new CellSpec
            {
                Dataset = dataset,
                Model = model,
                Activation = activation,
                WidthMultiplier = widthMultiplier,
                Depth = depth,
                Width = width,
                Epochs = epochs,
                BatchSize = batchSize,
                Optimizer = optimizer,
                LearningRate = learningRate,
                Momentum = momentum,
                Nesterov = nesterov,
                WeightDecay = weightDecay,
                Schedule = schedule,
                WarmupEpochs = warmup,
                LabelSmoothing = labelSmoothing,
                Augment = augment,
                StepEpochs = t.StepEpochs,
                StepGamma = t.StepGamma,
            };

        foreach (var group in groups)
        {
            var groupId = CellIdentity.GroupIdOfCanonical(group);
            foreach (var seed in spec.Seeds)
            {
                var cell = group with { Seed = seed };
                var id = CellIdentity.CellIdOfCanonical(cell);
                if (seen.Add(id)) cells.Add(new SweepCell(id, groupId, cell));
            }
        }
        return cells;
    }

    /// <summary>
    /// The number of cells the axes multiply to (before duplicates are dropped), without expanding them;
    /// long.MaxValue when the product overflows.
    /// </summary>
    public static long CountCombinations(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var t = spec.Training;
        long[] sizes =
        [
            spec.Datasets.Count, spec.Models.Count, spec.Activations.Count, t.Epochs.Count, t.BatchSizes.Count,
            t.Optimizers.Count, t.LearningRates.Count, t.Momenta.Count, t.Nesterov.Count, t.WeightDecays.Count,
            t.Schedules.Count, t.WarmupEpochs.Count, t.LabelSmoothing.Count, t.Augment.Count,
            Math.Max(1, t.WidthMultipliers.Count), Math.Max(1, t.Depths.Count), Math.Max(1, t.Widths.Count),
            spec.Seeds.Count,
        ];
        return sizes.Aggregate(1L, (product, size) =>
            size == 0 ? 0 : product > long.MaxValue / size ? long.MaxValue : product * size);
    }

    private static IEnumerable<T?> OrDefault<T>(IReadOnlyList<T> values)
        where T : struct =>
        values.Count == 0 ? [null] : values.Select(v => (T?)v);
}
