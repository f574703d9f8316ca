using System.Globalization;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>
/// What differs between two sweeps, for the message that refuses a different sweep under an existing name.
/// Axes compare as sets of normalised values: the same values in another order or spelling ("SiLU" for "swish")
/// are the same cells, so they are no difference.
/// </summary>
public static class SweepDifference
{
    /// <summary>One line per differing field, such as "seeds: [1, 2, 3] → [1, 2, 4]"; empty when the sweeps are the same.</summary>
    public static IReadOnlyList<string> Describe(SweepSpec existing, SweepSpec submitted)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(submitted);
        var a = existing.Training ?? new HyperParameterAxes();
        var b = submitted.Training ?? new HyperParameterAxes();
        var differences = new List<string>();

        Scalar("name", existing.Name, submitted.Name, differences);
        Axis("datasets", existing.Datasets, submitted.Datasets, DatasetKey, ShowDataset, differences);
        Axis("models", existing.Models, submitted.Models, CellIdentity.CanonicalName, m => m, differences);
        Axis("activations", existing.Activations, submitted.Activations, CellIdentity.CanonicalActivation, x => x, differences);
        Axis("seeds", existing.Seeds, submitted.Seeds, differences);
        Axis("training.epochs", a.Epochs, b.Epochs, differences);
        Axis("training.batch_sizes", a.BatchSizes, b.BatchSizes, differences);
        Axis("training.optimizers", a.Optimizers, b.Optimizers, CellIdentity.CanonicalName, o => o, differences);
        Axis("training.learning_rates", a.LearningRates, b.LearningRates, differences);
        Axis("training.momenta", a.Momenta, b.Momenta, differences);
        Axis("training.nesterov", a.Nesterov, b.Nesterov, differences);
        Axis("training.weight_decays", a.WeightDecays, b.WeightDecays, differences);
        Axis("training.schedules", a.Schedules, b.Schedules, CellIdentity.CanonicalName, s => s, differences);
        Axis("training.warmup_epochs", a.WarmupEpochs, b.WarmupEpochs, differences);
        Axis("training.label_smoothing", a.LabelSmoothing, b.LabelSmoothing, differences);
        Axis("training.augment", a.Augment, b.Augment, differences);
        Axis("training.width_multipliers", a.WidthMultipliers, b.WidthMultipliers, differences);
        Axis("training.depths", a.Depths, b.Depths, differences);
        Axis("training.widths", a.Widths, b.Widths, differences);
        Scalar("training.step_epochs", a.StepEpochs, b.StepEpochs, differences);
        Scalar("training.step_gamma", a.StepGamma, b.StepGamma, differences);
        Scalar("baseline_activation",
            existing.BaselineActivation is { } x ? CellIdentity.CanonicalActivation(x) : null,
            submitted.BaselineActivation is { } y ? CellIdentity.CanonicalActivation(y) : null,
            differences);
        Scalar("checkpoint_every_epochs", existing.CheckpointEveryEpochs, submitted.CheckpointEveryEpochs, differences);
        Scalar("max_attempts", existing.MaxAttempts, submitted.MaxAttempts, differences);
        Scalar("max_slot_losses", existing.MaxSlotLosses, submitted.MaxSlotLosses, differences);
        Scalar("keep_checkpoints", existing.KeepCheckpoints, submitted.KeepCheckpoints, differences);
        return differences;
    }

    /// <summary>Whether the two sweeps declare the same cells and settings.</summary>
    public static bool AreSame(SweepSpec existing, SweepSpec submitted) => Describe(existing, submitted).Count == 0;

    private static void Axis<T>(string field, IReadOnlyList<T>? before, IReadOnlyList<T>? after, List<string> differences)
        where T : notnull =>
        Axis(field, before, after, v => Show(v), v => Show(v), differences);

    private static void Axis<T>(
        string field, IReadOnlyList<T>? before, IReadOnlyList<T>? after, Func<T, string> key, Func<T, string> show,
        List<string> differences)
    {
        before ??= [];
        after ??= [];
        var beforeKeys = before.Select(key).ToHashSet(StringComparer.Ordinal);
        var afterKeys = after.Select(key).ToHashSet(StringComparer.Ordinal);
        if (beforeKeys.SetEquals(afterKeys)) return;
        differences.Add($"{field}: [{string.Join(", ", before.Select(show))}] → [{string.Join(", ", after.Select(show))}]");
    }

    private static void Scalar<T>(string field, T before, T after, List<string> differences)
    {
        if (EqualityComparer<T>.Default.Equals(before, after)) return;
        differences.Add($"{field}: {ShowNullable(before)} → {ShowNullable(after)}");
    }

    private static string DatasetKey(DatasetSpec dataset)
    {
        var d = CellIdentity.Canonical(dataset);
        return string.Create(CultureInfo.InvariantCulture, $"{d.Name}\n{d.Path}\n{d.TrainPerClass}\n{d.TestPerClass}\n{d.SubsetSeed}");
    }

    private static string ShowDataset(DatasetSpec dataset)
    {
        var settings = new List<string>();
        if (dataset.Path is not null) settings.Add($"path {dataset.Path}");
        if (dataset.TrainPerClass is int train) settings.Add($"train_per_class {train}");
        if (dataset.TestPerClass is int test) settings.Add($"test_per_class {test}");
        if (dataset.SubsetSeed != 0) settings.Add($"subset_seed {dataset.SubsetSeed}");
        return settings.Count == 0 ? dataset.Name : $"{dataset.Name} ({string.Join(", ", settings)})";
    }

    private static string ShowNullable(object? value) => value is null ? "none" : Show(value);

    private static string Show(object value) =>
        value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
}
