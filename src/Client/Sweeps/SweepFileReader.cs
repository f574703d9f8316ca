using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>Where one field of the spec was written: its key, the node holding its value and, for a list, each item.</summary>
internal sealed record FieldSource(string Key, YamlNode Node, IReadOnlyList<ItemSource> Items);

/// <summary>One value of a list, with the ways a message may write it.</summary>
internal sealed record ItemSource(string Key, YamlNode Node, IReadOnlyList<string> Shown);

/// <summary>
/// Reads a sweep file's YAML tree into a <see cref="SweepSpec"/>: every structural problem (unknown or repeated key,
/// wrong type, missing key) is collected, not thrown, and every field remembers where it was written, by the sweep
/// validator's name for it, so that the validator's problems can be placed on their lines.
/// </summary>
internal sealed class SweepFileReader
{
    private const string DatasetExample = "a data set name such as fashion-mnist, or a mapping with name and path";

    private static readonly string[] TopLevelKeys =
    [
        "name", "dataset", "datasets", "model", "models", "activation", "activations", "baseline", "seeds", "training",
        "checkpoint_every", "max_attempts", "max_slot_losses", "keep_checkpoints",
    ];

    private static readonly string[] DatasetKeys = ["name", "path", "train_per_class", "test_per_class", "subset_seed"];

    private static readonly TrainingSetting[] TrainingSettings =
    [
        Axis("epochs", "training.epochs", ScalarKinds.WholeNumber("a number of epochs such as 10"), (t, v) => t with { Epochs = v }),
        Axis("batch_size", "training.batch_sizes", ScalarKinds.WholeNumber("a batch size such as 128"), (t, v) => t with { BatchSizes = v }),
        Axis("optimizer", "training.optimizers", ScalarKinds.Text("sgd or adam"), (t, v) => t with { Optimizers = v }),
        Axis("learning_rate", "training.learning_rates", ScalarKinds.Number("a learning rate such as 0.1"), (t, v) => t with { LearningRates = v }),
        Axis("momentum", "training.momenta", ScalarKinds.Number("a momentum such as 0.9"), (t, v) => t with { Momenta = v }),
        Axis("nesterov", "training.nesterov", ScalarKinds.Flag("true or false"), (t, v) => t with { Nesterov = v }),
        Axis("weight_decay", "training.weight_decays", ScalarKinds.Number("a weight decay such as 5e-4"), (t, v) => t with { WeightDecays = v }),
        Axis("schedule", "training.schedules", ScalarKinds.Text("cosine, step or constant"), (t, v) => t with { Schedules = v }),
        Axis("warmup_epochs", "training.warmup_epochs", ScalarKinds.WholeNumber("a number of warm-up epochs such as 0"), (t, v) => t with { WarmupEpochs = v }),
        Axis("label_smoothing", "training.label_smoothing", ScalarKinds.Number("a label smoothing such as 0.1"), (t, v) => t with { LabelSmoothing = v }),
        Axis("augment", "training.augment", ScalarKinds.Flag("true or false"), (t, v) => t with { Augment = v }),
        Axis("width_multiplier", "training.width_multipliers", ScalarKinds.Number("a width multiplier such as 1.0"), (t, v) => t with { WidthMultipliers = v }),
        Axis("depth", "training.depths", ScalarKinds.WholeNumber("a number of hidden layers such as 2"), (t, v) => t with { Depths = v }),
        Axis("width", "training.widths", ScalarKinds.WholeNumber("a layer width such as 256"), (t, v) => t with { Widths = v }),
        Single("step_epochs", "training.step_epochs", ScalarKinds.WholeNumber("a number of epochs such as 30"), (t, v) => t with { StepEpochs = v }),
        Single("step_gamma", "training.step_gamma", ScalarKinds.Number("a factor such as 0.1"), (t, v) => t with { StepGamma = v }),
    ];

    private static readonly string[] TrainingKeys = [.. TrainingSettings.Select(s => s.Key)];

    private readonly string file;
    private readonly string folder;
    private readonly List<SweepFileError> errors = [];
    private readonly Dictionary<string, FieldSource> sources = new(StringComparer.Ordinal);
    private readonly HashSet<string> unreadable = new(StringComparer.Ordinal);
    private readonly HashSet<string> missing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal)
    {
        ["name"] = "name",
        ["datasets"] = "dataset",
        ["models"] = "models",
        ["activations"] = "activations",
        ["seeds"] = "seeds",
        ["baseline_activation"] = "baseline",
        ["checkpoint_every_epochs"] = "checkpoint_every",
        ["max_attempts"] = "max_attempts",
        ["max_slot_losses"] = "max_slot_losses",
        ["keep_checkpoints"] = "keep_checkpoints",
    };

    /// <param name="file">The file as the user named it, for messages.</param>
    /// <param name="folder">The folder relative data set paths are taken from.</param>
    public SweepFileReader(string file, string folder)
    {
        this.file = file;
        this.folder = folder;
        foreach (var setting in TrainingSettings) keys[setting.Field] = $"training.{setting.Key}";
    }

    private enum Scope
    {
        Top,
        Training,
        Dataset,
    }

    private delegate HyperParameterAxes ApplySetting(SweepFileReader reader, YamlNode node, string key, HyperParameterAxes axes);

    private sealed record TrainingSetting(string Key, string Field, ApplySetting Apply);

    public IReadOnlyList<SweepFileError> Errors => errors;

    /// <summary>Where each field was written, by the validator's field name ("training.learning_rates", "datasets[0].path").</summary>
    public IReadOnlyDictionary<string, FieldSource> Sources => sources;

    /// <summary>The validator's field names and the keys users write for them.</summary>
    public IReadOnlyDictionary<string, string> Keys => keys;

    /// <summary>Fields whose problems are already reported (unreadable, repeated or missing): the validator's view of them is moot.</summary>
    public bool AlreadyReported(string field) => unreadable.Contains(field) || missing.Contains(field);

    /// <summary>Where problems of the sweep as a whole are placed: the top of the document.</summary>
    public YamlNode? Document { get; private set; }

    /// <summary>The sweep in <paramref name="root"/>, with defaults for anything left out or unreadable; null when it is not a mapping.</summary>
    public SweepSpec? Read(YamlNode root, string? nameFromFile)
    {
        Document = root;
        if (root is not YamlMap map)
        {
            Error(root, "", $"the file holds {ScalarKinds.Describe(root)}, not a sweep; write the sweep as key: value lines such as 'models: [small_cnn]' (see src/Client/Sweeps/FORMAT.md)");
            return null;
        }

        var entries = Entries(map, "", Scope.Top);
        var spec = new SweepSpec { Name = ReadName(entries, map, nameFromFile) };

        if (Either(entries, "dataset", "datasets", "datasets") is { } dataset)
            spec = spec with { Datasets = ReadDatasets(dataset.Value, dataset.Key.Value) ?? [] };
        else Missing(map, "datasets", "dataset", "give the data set to train on, such as 'dataset: fashion-mnist'");

        if (Either(entries, "model", "models", "models") is { } model)
            spec = spec with { Models = ReadAxis(model.Value, model.Key.Value, "models", ScalarKinds.Text("a model name such as small_cnn")) ?? [] };
        else Missing(map, "models", "models", "give the models to train, such as 'models: [small_cnn]'");

        if (Either(entries, "activation", "activations", "activations") is { } activation)
            spec = spec with { Activations = ReadAxis(activation.Value, activation.Key.Value, "activations", ScalarKinds.Text("an activation name such as relu, or a formula in x")) ?? [] };
        else Missing(map, "activations", "activations", "give the activations to compare, such as 'activations: [relu, swish, cos]'");

        if (entries.TryGetValue("seeds", out var seeds)) spec = spec with { Seeds = ReadSeeds(seeds.Value) ?? [] };
        else Missing(map, "seeds", "seeds", "give a number of seeds such as 'seeds: 5' (seeds 0 to 4), or a list such as 'seeds: [1, 2, 3]'");

        if (entries.TryGetValue("baseline", out var baseline))
            spec = spec with { BaselineActivation = ReadSingle(baseline.Value, "baseline", "baseline_activation", ScalarKinds.Text("one of the sweep's activations, such as relu")) };
        if (entries.TryGetValue("training", out var training)) spec = spec with { Training = ReadTraining(training.Value) };
        if (entries.TryGetValue("checkpoint_every", out var every))
            spec = spec with { CheckpointEveryEpochs = ReadSingle(every.Value, "checkpoint_every", "checkpoint_every_epochs", ScalarKinds.WholeNumber("a number of epochs such as 1"), spec.CheckpointEveryEpochs) };
        if (entries.TryGetValue("max_attempts", out var attempts))
            spec = spec with { MaxAttempts = ReadSingle(attempts.Value, "max_attempts", "max_attempts", ScalarKinds.WholeNumber("a number of attempts such as 3"), spec.MaxAttempts) };
        if (entries.TryGetValue("max_slot_losses", out var losses))
            spec = spec with { MaxSlotLosses = ReadSingle(losses.Value, "max_slot_losses", "max_slot_losses", ScalarKinds.WholeNumber("a number of lost slots such as 3"), spec.MaxSlotLosses) };
        if (entries.TryGetValue("keep_checkpoints", out var keep))
            spec = spec with { KeepCheckpoints = ReadSingle(keep.Value, "keep_checkpoints", "keep_checkpoints", ScalarKinds.WholeNumber("a number of checkpoints such as 2"), spec.KeepCheckpoints) };
        return spec;
    }

    private string ReadName(Dictionary<string, (YamlScalar Key, YamlNode Value)> entries, YamlMap map, string? nameFromFile)
    {
        if (entries.TryGetValue("name", out var name))
            return ReadSingle(name.Value, "name", "name", ScalarKinds.Text("a sweep name such as cos-vs-relu")) ?? nameFromFile ?? "";
        if (nameFromFile is not null) return nameFromFile;
        Missing(map, "name", "name", "the file name gives no usable sweep name; add a line such as 'name: cos-vs-relu'");
        return "";
    }

    private List<DatasetSpec>? ReadDatasets(YamlNode node, string key)
    {
        if (node is not YamlList list)
        {
            var single = ReadDataset(node, key, 0);
            if (single is null)
            {
                unreadable.Add("datasets");
                return null;
            }
            sources["datasets"] = new FieldSource(key, node, [DatasetItem(key, node, single)]);
            return [single];
        }

        var datasets = new List<DatasetSpec>();
        var items = new List<ItemSource>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemKey = $"{key}[{i}]";
            if (ReadDataset(list.Items[i], itemKey, i) is not { } dataset) continue;
            datasets.Add(dataset);
            items.Add(DatasetItem(itemKey, list.Items[i], dataset));
        }
        if (datasets.Count < list.Items.Count)
        {
            unreadable.Add("datasets");
            return null;
        }
        sources["datasets"] = new FieldSource(key, node, items);
        return datasets;
    }

    private DatasetSpec? ReadDataset(YamlNode node, string key, int index)
    {
        var field = $"datasets[{index}]";
        switch (node)
        {
            case YamlScalar { IsNull: false } scalar:
                sources[field] = new FieldSource(key, node, []);
                sources[$"{field}.name"] = new FieldSource(key, node, []);
                return new DatasetSpec { Name = scalar.Value };
            case YamlMap map:
                var entries = Entries(map, key, Scope.Dataset);
                sources[field] = new FieldSource(key, node, []);
                var readable = true;
                string? name = null;
                if (entries.TryGetValue("name", out var nameEntry))
                {
                    name = ReadSingle(nameEntry.Value, $"{key}.name", $"{field}.name", ScalarKinds.Text("a data set name such as fashion-mnist"));
                    readable &= name is not null;
                }
                else
                {
                    Error(map, $"{key}.name", "is missing; give the data set's name, such as 'name: fashion-mnist'");
                    readable = false;
                }

                string? path = null;
                if (entries.TryGetValue("path", out var pathEntry))
                {
                    path = ReadSingle(pathEntry.Value, $"{key}.path", $"{field}.path", ScalarKinds.Text("the folder that holds the data set's files"));
                    if (path is not null && string.IsNullOrWhiteSpace(path))
                    {
                        Error(pathEntry.Value, $"{key}.path", "is empty; give the folder that holds the data set's files, or leave path out for the standard location");
                        path = null;
                    }
                    readable &= path is not null;
                }

                var trainPerClass = ReadOptionalWhole(entries, "train_per_class", key, field, "a number of examples per class such as 100", ref readable);
                var testPerClass = ReadOptionalWhole(entries, "test_per_class", key, field, "a number of examples per class such as 100", ref readable);
                var subsetSeed = ReadOptionalWhole(entries, "subset_seed", key, field, "a seed such as 0", ref readable) ?? 0;
                return readable && name is not null
                    ? new DatasetSpec { Name = name, Path = path is null ? null : ResolvePath(path), TrainPerClass = trainPerClass, TestPerClass = testPerClass, SubsetSeed = subsetSeed }
                    : null;
            default:
                Error(node, key, $"{Found(node)}; give {DatasetExample}" + (key.EndsWith(']') ? "" : ", or a list of them"));
                return null;
        }
    }

    private int? ReadOptionalWhole(
        Dictionary<string, (YamlScalar Key, YamlNode Value)> entries, string name, string key, string field, string expected, ref bool readable)
    {
        if (!entries.TryGetValue(name, out var entry)) return null;
        if (TryRead(entry.Value, $"{key}.{name}", $"{field}.{name}", ScalarKinds.WholeNumber(expected), false, out var value)) return value;
        readable = false;
        return null;
    }

    private string ResolvePath(string path)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (path == "~") path = home;
        else if (path.StartsWith("~/", StringComparison.Ordinal)) path = Path.Combine(home, path[2..]);
        return Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
    }

    private List<long>? ReadSeeds(YamlNode node)
    {
        const string Fix = "a number of seeds such as 5 (seeds 0 to 4), or a list of seeds such as [1, 2, 3]";
        if (node is YamlList) return ReadAxis(node, "seeds", "seeds", ScalarKinds.Seed("a seed such as 1"));
        if (node is not YamlScalar { IsNull: false } scalar)
        {
            Error(node, "seeds", $"{Found(node)}; give {Fix}");
            unreadable.Add("seeds");
            return null;
        }

        var problem = ScalarKinds.WholeNumber(Fix).Read(scalar, out var count);
        if (problem is null && count < 1) problem = $"{count} is not a number of seeds; give {Fix}";
        if (problem is null && count > SweepValidator.MaxCells) problem = $"{count} seeds are more than a sweep's {SweepValidator.MaxCells} cells; give {Fix}";
        if (problem is not null)
        {
            Error(node, "seeds", problem);
            unreadable.Add("seeds");
            return null;
        }
        sources["seeds"] = new FieldSource("seeds", node, []);
        return [.. Enumerable.Range(0, count).Select(i => (long)i)];
    }

    private HyperParameterAxes ReadTraining(YamlNode node)
    {
        var axes = new HyperParameterAxes();
        if (node is not YamlMap map)
        {
            Error(node, "training", $"{Found(node)}; give the training settings as key: value lines under training:, such as '  epochs: 10'");
            foreach (var setting in TrainingSettings) unreadable.Add(setting.Field);
            return axes;
        }
        sources["training"] = new FieldSource("training", node, []);
        var entries = Entries(map, "training", Scope.Training);
        foreach (var setting in TrainingSettings)
        {
            if (entries.TryGetValue(setting.Key, out var entry)) axes = setting.Apply(this, entry.Value, $"training.{setting.Key}", axes);
        }
        return axes;
    }

    private static TrainingSetting Axis<T>(string key, string field, ScalarKind<T> kind, Func<HyperParameterAxes, List<T>, HyperParameterAxes> set) =>
        new(key, field, (reader, node, path, axes) => reader.ReadAxis(node, path, field, kind) is { } values ? set(axes, values) : axes);

    private static TrainingSetting Single<T>(string key, string field, ScalarKind<T> kind, Func<HyperParameterAxes, T, HyperParameterAxes> set)
        where T : struct =>
        new(key, field, (reader, node, path, axes) => reader.TryRead(node, path, field, kind, false, out var value) ? set(axes, value) : axes);

    /// <summary>A value or a list of values; null (and the problems reported) when any of them is unreadable.</summary>
    private List<T>? ReadAxis<T>(YamlNode node, string key, string field, ScalarKind<T> kind)
    {
        if (node is not YamlList list)
        {
            if (!TryRead(node, key, field, kind, true, out var one)) return null;
            sources[field] = new FieldSource(key, node, [Item(key, node, kind, one)]);
            return [one];
        }

        var values = new List<T>();
        var items = new List<ItemSource>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemKey = $"{key}[{i}]";
            if (!TryRead(list.Items[i], itemKey, field, kind, false, out var value)) continue;
            values.Add(value);
            items.Add(Item(itemKey, list.Items[i], kind, value));
        }
        if (values.Count < list.Items.Count) return null;
        sources[field] = new FieldSource(key, node, items);
        return values;
    }

    private static ItemSource Item<T>(string key, YamlNode node, ScalarKind<T> kind, T value)
    {
        var shown = kind.Show(value);
        var spellings = node is YamlScalar s && s.Value != shown ? new[] { s.Value, shown } : [shown];
        // A formula too long to be one is shown by its start only, and is found by that.
        return new ItemSource(key, node, [.. spellings, .. spellings.Select(FormulaException.Abbreviate).Where(a => !spellings.Contains(a))]);
    }

    private T? ReadSingle<T>(YamlNode node, string key, string field, ScalarKind<T> kind)
        where T : class =>
        TryRead(node, key, field, kind, false, out var value) ? value : null;

    private T ReadSingle<T>(YamlNode node, string key, string field, ScalarKind<T> kind, T fallback)
        where T : struct =>
        TryRead(node, key, field, kind, false, out var value) ? value : fallback;

    /// <summary>Reads one scalar; on a problem reports it, marks the field unreadable and returns false.</summary>
    private bool TryRead<T>(YamlNode node, string key, string field, ScalarKind<T> kind, bool listAllowed, out T value)
    {
        value = default!;
        var orList = listAllowed ? ", or a list of them" : "";
        string problem;
        if (node is YamlScalar { IsNull: false } scalar)
        {
            var conversionProblem = kind.Read(scalar, out value);
            if (conversionProblem is null)
            {
                sources.TryAdd(field, new FieldSource(key, node, []));
                return true;
            }
            problem = conversionProblem;
        }
        else if (node is YamlScalar)
        {
            problem = $"{Found(node)}; give {kind.Expected}{orList}";
        }
        else
        {
            // An item of a list, or a key that takes a list, is told what one value looks like; a single-value key says so.
            problem = listAllowed || node is YamlMap || key.EndsWith(']')
                ? $"found {ScalarKinds.Describe(node)}; give {kind.Expected}{orList}"
                : $"found {ScalarKinds.Describe(node)}, but {key} takes a single value; give {kind.Expected}";
        }
        Error(node, key, problem);
        unreadable.Add(field);
        return false;
    }

    /// <summary>The entries of a mapping by key, reporting keys that are unknown, repeated or not plain names.</summary>
    private Dictionary<string, (YamlScalar Key, YamlNode Value)> Entries(YamlMap map, string path, Scope scope)
    {
        var known = KeysOf(scope);
        var found = new Dictionary<string, (YamlScalar Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Entries)
        {
            if (keyNode is not YamlScalar { IsNull: false } key)
            {
                Error(keyNode, path, $"a key must be a plain name such as 'models', not {ScalarKinds.Describe(keyNode)}");
                continue;
            }
            var keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
            if (found.TryGetValue(key.Value, out var first))
            {
                Error(key, keyPath, $"is given twice (first on line {first.Key.Line}); keep one");
                continue;
            }
            if (!known.Contains(key.Value))
            {
                Error(key, keyPath, UnknownKey(key.Value, scope));
                continue;
            }
            found[key.Value] = (key, value);
        }
        return found;
    }

    /// <summary>What is wrong with an unknown key: a typo of a key here, or a key that belongs in another place.</summary>
    private static string UnknownKey(string key, Scope scope)
    {
        var known = KeysOf(scope);
        if (KeySuggestion.Closest(key, known) is { } here) return $"unknown key; did you mean '{here}'?";
        if (scope is not Scope.Training && KeySuggestion.Closest(key, TrainingKeys) is { } setting)
            return $"unknown key here; '{setting}' is a training setting: move it under training:";
        if (scope is not Scope.Top && KeySuggestion.Closest(key, TopLevelKeys) is { } top)
            return $"unknown key here; '{top}' belongs at the top level of the file, not under {(scope is Scope.Training ? "training:" : "the data set")}";
        if (scope is Scope.Top && KeySuggestion.Closest(key, DatasetKeys) is { } datasetKey)
            return $"unknown key here; '{datasetKey}' is a setting of the data set: write 'dataset: {{name: fashion-mnist, {datasetKey}: …}}'";
        return $"unknown key; the keys here are {string.Join(", ", known)}";
    }

    private static string[] KeysOf(Scope scope) => scope switch
    {
        Scope.Training => TrainingKeys,
        Scope.Dataset => DatasetKeys,
        _ => TopLevelKeys,
    };

    /// <summary>The entry under the singular or the plural key; both given is a problem.</summary>
    private (YamlScalar Key, YamlNode Value)? Either(Dictionary<string, (YamlScalar Key, YamlNode Value)> entries, string singular, string plural, string field)
    {
        var hasOne = entries.TryGetValue(singular, out var one);
        var hasMany = entries.TryGetValue(plural, out var many);
        if (hasOne && hasMany)
        {
            var second = one.Key.Line > many.Key.Line ? one : many;
            Error(second.Key, second.Key.Value, $"'{singular}' and '{plural}' are both given; keep one (either takes one value or a list)");
            unreadable.Add(field);
            return null;
        }
        if (!hasOne && !hasMany) return null;
        var entry = hasOne ? one : many;
        keys[field] = entry.Key.Value;
        return entry;
    }

    private void Missing(YamlMap map, string field, string key, string fix)
    {
        if (unreadable.Contains(field)) return;
        missing.Add(field);
        var at = map.Entries.Count > 0 ? map.Entries[0].Key : map;
        Error(at, key, $"is missing; {fix}");
    }

    // The validator names a data set by its canonical name ("lists fashion-mnist … 2 times").
    private static ItemSource DatasetItem(string key, YamlNode node, DatasetSpec dataset) =>
        new(key, node, [.. new[] { dataset.Name, CellIdentity.CanonicalName(dataset.Name) }.Distinct()]);

    private static string Found(YamlNode node) =>
        node is YamlScalar { IsNull: true } ? "has no value" : $"found {ScalarKinds.Describe(node)}";

    private void Error(YamlNode node, string key, string message) =>
        errors.Add(new SweepFileError(file, node.Line, node.Column, key, message));
}
