using System.Globalization;
using System.Text;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Training.Activations;
using CoS.Distributed.Training.Data;
using CoS.Distributed.Training.Models;

namespace CoS.Distributed.Grains.Sweeps;

/// <summary>
/// Checks a sweep before anything runs: every problem at once, each naming the field, the value and the fix.
/// Nothing is trained or loaded; the only things touched outside the spec are the data set folders (do they exist)
/// and, for activations written as formulas, the formula compiler's probe. Upper bounds on sizes and counts are
/// <see cref="SweepBounds"/>.
/// </summary>
public static class SweepValidator
{
    /// <summary>The most cells one sweep may have.</summary>
    public const int MaxCells = 100_000;

    /// <summary>The longest sweep name: it becomes a grain key and part of blob and container names.</summary>
    public const int MaxNameLength = 63;

    private const string NameRule =
        "use 1–63 characters from a–z, 0–9, '-', '_' and '.', starting with a letter or digit";

    // The models that read each model-shape setting; every other model refuses a non-default value (ModelCatalog).
    private const string WidthMultiplierModel = "mobilenet_v2";
    private const string FullyConnectedModel = "mlp";

    /// <summary>Every problem with the sweep, one line each; empty when it can be submitted.</summary>
    public static IReadOnlyList<string> Validate(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        var t = spec.Training ?? new HyperParameterAxes();

        CheckName(spec.Name, problems);
        var datasets = CheckDatasets(spec.Datasets ?? [], problems);
        var models = Axis("models", spec.Models, CellIdentity.CanonicalName, Quote, problems, model =>
            ModelCatalog.Names.Contains(CellIdentity.CanonicalName(model))
                ? null
                : $"{Quote(model)} is not a known model; choose from {string.Join(", ", ModelCatalog.Names)}");
        var activations = Axis("activations", spec.Activations, CellIdentity.CanonicalActivation, Quote, problems, ActivationProblem);
        var seeds = Axis("seeds", spec.Seeds, Invariant, Invariant, problems, seed =>
            seed < 0 ? $"{seed} is negative; give seeds of 0 or more" : null);

        var epochs = Axis("training.epochs", t.Epochs, Invariant, Invariant, problems, e =>
            e < 1 ? $"{e} is not a number of epochs; give at least 1" : SweepBounds.Above(e, SweepBounds.MaxEpochs, "epochs"));
        var batchSizes = Axis("training.batch_sizes", t.BatchSizes, Invariant, Invariant, problems, b =>
            b < 1 ? $"{b} is not a batch size; give at least 1" : SweepBounds.Above(b, SweepBounds.MaxBatchSize, "examples"));
        var optimizers = Axis("training.optimizers", t.Optimizers, CellIdentity.CanonicalName, Quote, problems, o =>
            CellSpecs.Optimizers.ContainsKey(CellIdentity.CanonicalName(o))
                ? null
                : $"{Quote(o)} is not a known optimizer; use {string.Join(" or ", CellSpecs.Optimizers.Keys)}");
        var learningRates = Axis("training.learning_rates", t.LearningRates, Invariant, Invariant, problems, lr =>
            lr > 0 && double.IsFinite(lr) ? null : $"{Invariant(lr)} is not a positive finite number; give a learning rate such as 0.1");
        var momenta = Axis("training.momenta", t.Momenta, Invariant, Invariant, problems, m =>
            m is >= 0 and < 1 ? null : $"{Invariant(m)} is outside [0, 1); give a momentum such as 0.9 (0 for none)");
        var nesterov = Axis("training.nesterov", t.Nesterov, Invariant, Invariant, problems, _ => null);
        var weightDecays = Axis("training.weight_decays", t.WeightDecays, Invariant, Invariant, problems, wd =>
            wd >= 0 && double.IsFinite(wd) ? null : $"{Invariant(wd)} is not 0 or a positive finite number; give a weight decay such as 5e-4");
        var schedules = Axis("training.schedules", t.Schedules, CellIdentity.CanonicalName, Quote, problems, s =>
            CellSpecs.Schedules.ContainsKey(CellIdentity.CanonicalName(s))
                ? null
                : $"{Quote(s)} is not a known schedule; use {string.Join(", ", CellSpecs.Schedules.Keys)}");
        var warmups = Axis("training.warmup_epochs", t.WarmupEpochs, Invariant, Invariant, problems, w =>
            w < 0 ? $"{w} is negative; give 0 (no warm-up) or more epochs" : null);
        var labelSmoothing = Axis("training.label_smoothing", t.LabelSmoothing, Invariant, Invariant, problems, ls =>
            ls is >= 0 and < 1 ? null : $"{Invariant(ls)} is outside [0, 1); give a value such as 0.1 (0 for none)");
        var augment = Axis("training.augment", t.Augment, Invariant, Invariant, problems, _ => null);
        var widthMultipliers = Axis("training.width_multipliers", t.WidthMultipliers, Invariant, Invariant, problems, wm =>
            wm > 0 && double.IsFinite(wm)
                ? SweepBounds.Above(wm, SweepBounds.MaxWidthMultiplier, "")
                : $"{Invariant(wm)} is not a positive finite number; give a width multiplier such as 0.5 or 1.0", mayBeEmpty: true);
        var depths = Axis("training.depths", t.Depths, Invariant, Invariant, problems, d =>
            d < 0 ? $"{d} is negative; give a number of hidden layers of 0 (a linear classifier) or more" : SweepBounds.Above(d, SweepBounds.MaxDepth, "hidden layers"), mayBeEmpty: true);
        var widths = Axis("training.widths", t.Widths, Invariant, Invariant, problems, w =>
            w < 1 ? $"{w} is not a layer width; give at least 1 unit" : SweepBounds.Above(w, SweepBounds.MaxWidth, "units per layer"), mayBeEmpty: true);

        CheckModelShape(models, widthMultipliers, depths, widths, problems);
        if (models.Contains(FullyConnectedModel))
        {
            var defaults = new ModelOptions();
            problems.AddRange(SweepBounds.MlpProblems([.. datasets.Select(d => d.Name)], widths.Count > 0 ? widths : [defaults.Width], depths.Count > 0 ? depths : [defaults.Depth]));
        }
        CheckCrossSettings(t, epochs, warmups, optimizers, momenta, schedules, problems);
        CheckBaseline(spec.BaselineActivation, spec.Activations ?? [], problems);
        CheckCount("checkpoint_every_epochs", spec.CheckpointEveryEpochs, "write a checkpoint every 1 or more epochs", SweepBounds.MaxEpochs, "epochs", problems);
        CheckCount("max_attempts", spec.MaxAttempts, "give each cell at least 1 attempt", SweepBounds.MaxAttempts, "attempts", problems);
        CheckCount("max_slot_losses", spec.MaxSlotLosses, "give each cell at least 1 (a cell fails the first time its slot is lost)", SweepBounds.MaxAttempts, "lost slots", problems);
        CheckCount("keep_checkpoints", spec.KeepCheckpoints, "keep at least 1 checkpoint per cell (resuming needs one)", SweepBounds.MaxKeepCheckpoints, "checkpoints", problems);

        var cellCount = SweepExpansion.CountCombinations(spec);
        if (cellCount > MaxCells)
        {
            problems.Add($"the sweep has {(cellCount == long.MaxValue ? "more than 9·10¹⁸" : Invariant(cellCount))} cells (the product of its axes); "
                + $"at most {MaxCells} are accepted: split it into several sweeps or shorten an axis");
            return problems;
        }

        // The values that passed, multiplied out: whatever the training core still refuses is a rule missing above.
        var valid = spec with
        {
            Datasets = datasets,
            Models = models,
            Activations = activations,
            Seeds = seeds,
            Training = t with
            {
                Epochs = epochs,
                BatchSizes = batchSizes,
                Optimizers = optimizers,
                LearningRates = learningRates,
                Momenta = momenta,
                Nesterov = nesterov,
                WeightDecays = weightDecays,
                Schedules = schedules,
                WarmupEpochs = warmups,
                LabelSmoothing = labelSmoothing,
                Augment = augment,
                WidthMultipliers = widthMultipliers,
                Depths = depths,
                Widths = widths,
            },
        };
        CheckCells(valid, problems);
        return problems;
    }

    private static void CheckName(string? name, List<string> problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"name is empty: {NameRule} (e.g. 'cos-vs-relu')");
            return;
        }
        if (IsUsableName(name)) return;
        var suggestion = Suggest(name);
        var length = name.Length > MaxNameLength ? $" ({name.Length} characters)" : "";
        problems.Add($"name {Quote(name)}{length} cannot be a grain key and blob name: {NameRule}"
            + (suggestion is null ? "" : $" (e.g. {Quote(suggestion)})"));
    }

    /// <summary>Whether a sweep name can be a grain key and part of blob names.</summary>
    public static bool IsUsableName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is >= 1 and <= MaxNameLength
            && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');
    }

    private static string? Suggest(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            var usable = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.';
            if (usable) builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var suggestion = builder.ToString().TrimStart('-', '_', '.').TrimEnd('-');
        if (suggestion.Length > MaxNameLength) suggestion = suggestion[..MaxNameLength].TrimEnd('-');
        return suggestion.Length > 0 && IsUsableName(suggestion) ? suggestion : null;
    }

    private static List<DatasetSpec> CheckDatasets(IReadOnlyList<DatasetSpec> datasets, List<string> problems)
    {
        var valid = new List<DatasetSpec>();
        for (var i = 0; i < datasets.Count; i++)
        {
            var field = $"datasets[{i}]";
            var dataset = datasets[i];
            if (dataset is null)
            {
                problems.Add($"{field} is missing: give a data set name ({string.Join(", ", DatasetCatalog.Names)})");
                continue;
            }
            var found = problems.Count;
            var name = CellIdentity.CanonicalName(dataset.Name ?? "");
            if (!DatasetCatalog.Names.Contains(name))
                problems.Add($"{field}.name: {Quote(dataset.Name ?? "")} is not a known data set; choose from {string.Join(", ", DatasetCatalog.Names)}");
            if (dataset.TrainPerClass is < 1)
                problems.Add($"{field}.train_per_class: {dataset.TrainPerClass} is not a number of examples; give at least 1, or leave it out to use every training example");
            if (dataset.TestPerClass is < 1)
                problems.Add($"{field}.test_per_class: {dataset.TestPerClass} is not a number of examples; give at least 1, or leave it out to use every test example");
            if (problems.Count == found) CheckDataFolder(field, name, dataset.Path, problems);
            if (problems.Count == found) valid.Add(CellIdentity.Canonical(dataset));
        }

        if (datasets.Count == 0)
            problems.Add($"datasets is empty: give at least one data set ({string.Join(", ", DatasetCatalog.Names)})");
        foreach (var duplicate in valid.GroupBy(d => d).Where(g => g.Count() > 1))
            problems.Add($"datasets lists {duplicate.Key.Name} with the same settings {duplicate.Count()} times: give each data set once");
        return [.. valid.Distinct()];
    }

    private static void CheckDataFolder(string field, string name, string? path, List<string> problems)
    {
        if (path is not null)
        {
            if (!Directory.Exists(path))
                problems.Add($"{field}.path: the folder {Quote(path)} does not exist on this silo; give the folder that holds the {name} files, "
                    + $"or leave path out to use the standard location {DatasetCatalog.StandardPath(name)}");
            return;
        }
        var standard = DatasetCatalog.StandardPath(name);
        if (Directory.Exists(standard)) return;
        var fix = name switch
        {
            DatasetCatalog.FashionMnist => "install it with `apt-get install dataset-fashion-mnist`",
            DatasetCatalog.Mnist => "put the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) there",
            _ => "download the binary version of CIFAR-10 (cifar-10-binary.tar.gz, https://www.cs.toronto.edu/~kriz/cifar.html) and extract it there",
        };
        problems.Add($"{field}: {name} is not at its standard location {standard} on this silo; {fix}, or set path to the folder that holds its files");
    }

    private static string? ActivationProblem(string activation)
    {
        if (string.IsNullOrWhiteSpace(activation)) return "an empty activation is not usable; give a built-in name (" + string.Join(", ", ActivationRegistry.Names) + ") or a formula in x";
        if (ActivationRegistry.TryGet(activation, out _)) return null;
        try
        {
            ActivationRegistry.Resolve(activation);
            return null;
        }
        catch (ArgumentException e)
        {
            // The registry's message names the formula, the position and the fix; the parameter suffix adds nothing.
            var message = e is FormulaException ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            return message;
        }
    }

    private static void CheckModelShape(
        IReadOnlyList<string> models, IReadOnlyList<double> widthMultipliers, IReadOnlyList<int> depthValues,
        IReadOnlyList<int> widthValues, List<string> problems)
    {
        // Like ModelCatalog: a model refuses a setting it does not read unless the value is the default.
        var defaults = new ModelOptions();
        var others = models.Where(m => m != WidthMultiplierModel).ToList();
        var multipliers = widthMultipliers.Where(wm => wm != defaults.WidthMultiplier).ToList();
        if (multipliers.Count > 0 && others.Count > 0)
        {
            var shuffle = others.Any(m => m.StartsWith("shufflenet", StringComparison.Ordinal))
                ? " (ShuffleNetV2 widths are chosen by name: shufflenet_v2_x0_5, _x1_0, _x1_5, _x2_0)"
                : "";
            problems.Add($"training.width_multipliers: {List(multipliers)} apply only to {WidthMultiplierModel}, and the models {List(others)} refuse a width multiplier{shuffle}; "
                + $"sweep {WidthMultiplierModel} on its own, or leave width_multipliers empty");
        }

        var notFullyConnected = models.Where(m => m != FullyConnectedModel).ToList();
        if (notFullyConnected.Count == 0) return;
        var depths = depthValues.Where(d => d != defaults.Depth).ToList();
        if (depths.Count > 0)
            problems.Add($"training.depths: {List(depths)} apply only to {FullyConnectedModel}, and the models {List(notFullyConnected)} have a fixed layout; "
                + $"sweep {FullyConnectedModel} on its own, or leave depths empty");
        var widths = widthValues.Where(w => w != defaults.Width).ToList();
        if (widths.Count > 0)
            problems.Add($"training.widths: {List(widths)} apply only to {FullyConnectedModel}, and the models {List(notFullyConnected)} have a fixed layout; "
                + $"sweep {FullyConnectedModel} on its own, or leave widths empty");
    }

    private static void CheckCrossSettings(
        HyperParameterAxes t, IReadOnlyList<int> epochs, IReadOnlyList<int> warmups, IReadOnlyList<string> optimizers,
        IReadOnlyList<double> momenta, IReadOnlyList<string> schedules, List<string> problems)
    {
        foreach (var warmup in warmups)
        {
            var tooShort = epochs.Where(e => warmup >= e).ToList();
            if (tooShort.Count > 0)
                problems.Add($"training.warmup_epochs: {warmup} is not below training.epochs {List(tooShort)}; warm-up must end before training does: "
                    + $"give warm-up values below the smallest epochs value ({epochs.Min()})");
        }

        if (t.Nesterov.Contains(true))
        {
            if (optimizers.Contains("adam"))
                problems.Add("training.nesterov: true is combined with the optimizer 'adam', which has no Nesterov momentum; "
                    + "sweep Nesterov with sgd only (a separate sweep), or drop true from nesterov");
            if (momenta.Contains(0))
                problems.Add("training.nesterov: true is combined with momentum 0, and Nesterov momentum needs a momentum above 0; "
                    + "drop 0 from momenta, or drop true from nesterov");
        }

        if (schedules.Contains("step"))
        {
            if (t.StepEpochs < 1)
                problems.Add($"training.step_epochs: {t.StepEpochs} is not a number of epochs; the step schedule needs at least 1");
            else if (SweepBounds.Above(t.StepEpochs, SweepBounds.MaxEpochs, "epochs") is { } above)
                problems.Add($"training.step_epochs: {above}");
            if (!(t.StepGamma > 0 && t.StepGamma <= 1))
                problems.Add($"training.step_gamma: {Invariant(t.StepGamma)} is outside (0, 1]; give the factor the step schedule multiplies the rate by, such as 0.1");
        }
    }

    // Combinations CheckCrossSettings has already reported, so the cell check does not report them again.
    private static bool HasCrossProblem(CellSpec cell) =>
        cell.WarmupEpochs >= cell.Epochs
        || (cell.Nesterov && (cell.Optimizer == "adam" || cell.Momentum == 0))
        || (cell.Schedule == "step" && !(cell.StepEpochs >= 1 && cell.StepGamma > 0 && cell.StepGamma <= 1));

    // Against every activation written, usable or not, so that one bad activation is reported once, not twice.
    private static void CheckBaseline(string? baseline, IReadOnlyList<string> activations, List<string> problems)
    {
        if (baseline is null || activations.Count == 0) return;
        if (string.IsNullOrWhiteSpace(baseline))
        {
            problems.Add("baseline_activation is empty: give one of the sweep's activations, or leave it out for no baseline");
            return;
        }
        if (!activations.Where(a => a is not null).Select(CellIdentity.CanonicalActivation).Contains(CellIdentity.CanonicalActivation(baseline)))
            problems.Add($"baseline_activation: {Quote(baseline)} is not among the activations {List(activations.Select(Quote))}; "
                + "choose one of them, or add it to activations");
    }

    private static void CheckCount(string field, int value, string fix, int bound, string unit, List<string> problems)
    {
        if (value < 1) problems.Add($"{field} is {value}: {fix}");
        else if (SweepBounds.Above(value, bound, unit) is { } above) problems.Add($"{field}: {above}");
    }

    // Training and model options do not depend on the data set, model, activation or seed, so one value of each
    // stands for all: the check visits every combination of the other axes, and counts cells by multiplying back.
    private static void CheckCells(SweepSpec valid, List<string> problems)
    {
        if (valid.Datasets.Count == 0 || valid.Models.Count == 0 || valid.Activations.Count == 0 || valid.Seeds.Count == 0) return;
        var cellsPerCombination = valid.Datasets.Count * valid.Models.Count * valid.Activations.Count * valid.Seeds.Count;
        var representative = valid with { Datasets = [valid.Datasets[0]], Models = [valid.Models[0]], Activations = [valid.Activations[0]], Seeds = [valid.Seeds[0]] };

        var defaults = new ModelOptions();
        var found = new Dictionary<string, (int Count, CellSpec First)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var cell in SweepExpansion.Expand(representative))
        {
            if (HasCrossProblem(cell.Spec)) continue;
            var run = CellSpecs.ToRunSpec(cell.Spec, threads: null, device: "cpu");
            var model = defaults with
            {
                WidthMultiplier = cell.Spec.WidthMultiplier ?? defaults.WidthMultiplier,
                Depth = cell.Spec.Depth ?? defaults.Depth,
                Width = cell.Spec.Width ?? defaults.Width,
            };
            foreach (var problem in run.Training.Validate().Concat(model.Problems()))
            {
                if (found.TryGetValue(problem, out var seen)) found[problem] = (seen.Count + cellsPerCombination, seen.First);
                else
                {
                    found[problem] = (cellsPerCombination, cell.Spec);
                    order.Add(problem);
                }
            }
        }
        foreach (var problem in order)
        {
            var (count, first) = found[problem];
            problems.Add($"{count} cell{(count == 1 ? "" : "s")} (first: {CellSpecs.Describe(first)}): {problem}");
        }
    }

    /// <summary>
    /// Checks one axis: empty (unless <paramref name="mayBeEmpty"/>), each value's own problem, values listed twice
    /// (after normalisation, by <paramref name="key"/>). Returns the distinct usable values, normalised.
    /// </summary>
    private static List<T> Axis<T>(
        string field, IReadOnlyList<T>? values, Func<T, string> key, Func<T, string> show, List<string> problems,
        Func<T, string?> problem, bool mayBeEmpty = false)
    {
        values ??= [];
        if (values.Count == 0 && !mayBeEmpty)
            problems.Add($"{field} is empty: give at least one value");

        var valid = new List<T>();
        var firstByKey = new Dictionary<string, T>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is null)
            {
                problems.Add($"{field} has an empty entry: remove it");
                continue;
            }
            var k = key(value);
            if (firstByKey.TryGetValue(k, out var first))
            {
                if (reported.Add(k))
                {
                    var spelled = show(first) == show(value) ? show(value) : $"{show(value)} (the same as {show(first)})";
                    problems.Add($"{field} lists {spelled} more than once: give each value once");
                }
                continue;
            }
            firstByKey[k] = value;
            var issue = problem(value);
            if (issue is null) valid.Add(Normalise(value, k));
            else problems.Add($"{field}: {issue}");
        }
        return valid;
    }

    // Names and activations continue in their canonical spelling, numbers as they are.
    private static T Normalise<T>(T value, string key) => value is string ? (T)(object)key : value;

    private static string Quote(string text) => $"'{text}'";

    private static string Invariant<T>(T value)
        where T : notnull =>
        value switch
        {
            double d => (d == 0 ? 0.0 : d).ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    private static string List<T>(IEnumerable<T> values)
        where T : notnull =>
        "[" + string.Join(", ", values.Select(v => v is string s ? s : Invariant(v))) + "]";
}
