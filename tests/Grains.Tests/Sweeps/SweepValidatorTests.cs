using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Training.Models;
using TorchSharp;

namespace CoS.Distributed.Grains.Tests.Sweeps;

public sealed class SweepValidatorTests : IDisposable
{
    private readonly TemporaryFolder data = new();

    public void Dispose() => data.Dispose();

    private SweepSpec Valid() => SampleSpecs.Sweep(data.Path);

    private static HyperParameterAxes Axes(SweepSpec s) => s.Training;

    [Fact]
    public void AValidSweepHasNoProblems()
    {
        Assert.Empty(SweepValidator.Validate(Valid()));
    }

    [Fact]
    public void AValidSweepUsingEveryAxisHasNoProblems()
    {
        var spec = Valid() with
        {
            Models = ["mlp"],
            Activations = ["relu", "SiLU", "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2"],
            BaselineActivation = "Swish",
            Training = new HyperParameterAxes
            {
                Epochs = [5, 10],
                BatchSizes = [32, 64],
                Optimizers = ["sgd"],
                LearningRates = [0.1, 0.01],
                Momenta = [0.9, 0.5],
                Nesterov = [false, true],
                WeightDecays = [0, 5e-4],
                Schedules = ["cosine", "step", "constant"],
                WarmupEpochs = [0, 4],
                LabelSmoothing = [0, 0.1],
                Augment = [false, true],
                Depths = [0, 1, 8],
                Widths = [16, 256],
                StepEpochs = 2,
                StepGamma = 0.5,
            },
        };
        Assert.Empty(SweepValidator.Validate(spec));
    }

    // Each case breaks one thing; the message must name the field and the value, and say what to do.
    private static readonly Dictionary<string, (Func<SweepSpec, SweepSpec> Break, string[] Expected)> Cases = new()
    {
        ["empty name"] = (s => s with { Name = "" }, ["name is empty", "1–63 characters"]),
        ["name with spaces"] = (s => s with { Name = "My Sweep!" }, ["'My Sweep!'", "a–z, 0–9, '-', '_' and '.'", "e.g. 'my-sweep'"]),
        ["name too long"] = (s => s with { Name = new string('a', 64) }, ["(64 characters)", "1–63 characters"]),
        ["name starting with a dot"] = (s => s with { Name = ".hidden" }, ["starting with a letter or digit"]),
        ["unknown data set"] = (s => s with { Datasets = [new DatasetSpec { Name = "imagenet" }] }, ["datasets[0].name", "'imagenet'", "fashion-mnist, mnist, cifar10"]),
        ["missing data folder"] = (s => s with { Datasets = [s.Datasets[0] with { Path = "/nonexistent/cos-data" }] }, ["datasets[0].path", "'/nonexistent/cos-data' does not exist", "/usr/share/datasets/fashion-mnist"]),
        ["train per class"] = (s => s with { Datasets = [s.Datasets[0] with { TrainPerClass = 0 }] }, ["datasets[0].train_per_class", "0 is not", "at least 1"]),
        ["test per class"] = (s => s with { Datasets = [s.Datasets[0] with { TestPerClass = -5 }] }, ["datasets[0].test_per_class", "-5"]),
        ["no data sets"] = (s => s with { Datasets = [] }, ["datasets is empty"]),
        ["duplicate data set"] = (s => s with { Datasets = [s.Datasets[0], s.Datasets[0] with { Name = "Fashion-MNIST" }] }, ["datasets lists fashion-mnist", "2 times"]),
        ["unknown model"] = (s => s with { Models = ["resnet18"] }, ["models: 'resnet18' is not a known model", "shufflenet_v2_x1_0"]),
        ["no models"] = (s => s with { Models = [] }, ["models is empty"]),
        ["duplicate model"] = (s => s with { Models = ["small_cnn", "Small_CNN"] }, ["models lists 'Small_CNN' (the same as 'small_cnn') more than once"]),
        ["unknown activation"] = (s => s with { Activations = ["relu", "swissh"] }, ["'swissh' is neither a built-in activation nor a formula", "swish (alias silu)"]),
        ["bad formula"] = (s => s with { Activations = ["relu", "x*sigmod(x)"] }, ["activations: formula 'x*sigmod(x)', position 2", "unknown function 'sigmod'"]),
        ["formula that overflows"] = (s => s with { Activations = ["relu", "exp(x)"] }, ["activations: formula 'exp(x)'", "float32"]),
        ["no activations"] = (s => s with { Activations = [] }, ["activations is empty"]),
        ["duplicate activation"] = (s => s with { Activations = ["relu", "swish", "SiLU"] }, ["activations lists 'SiLU' (the same as 'swish') more than once"]),
        ["negative seed"] = (s => s with { Seeds = [1, -2] }, ["seeds: -2 is negative"]),
        ["no seeds"] = (s => s with { Seeds = [] }, ["seeds is empty"]),
        ["duplicate seed"] = (s => s with { Seeds = [1, 2, 1] }, ["seeds lists 1 more than once"]),
        ["zero epochs"] = (s => s with { Training = Axes(s) with { Epochs = [0] } }, ["training.epochs: 0", "at least 1"]),
        ["no epochs"] = (s => s with { Training = Axes(s) with { Epochs = [] } }, ["training.epochs is empty"]),
        ["zero batch"] = (s => s with { Training = Axes(s) with { BatchSizes = [0] } }, ["training.batch_sizes: 0"]),
        ["no batch sizes"] = (s => s with { Training = Axes(s) with { BatchSizes = [] } }, ["training.batch_sizes is empty"]),
        ["unknown optimizer"] = (s => s with { Training = Axes(s) with { Optimizers = ["rmsprop"] } }, ["training.optimizers: 'rmsprop'", "sgd or adam"]),
        ["no optimizers"] = (s => s with { Training = Axes(s) with { Optimizers = [] } }, ["training.optimizers is empty"]),
        ["negative learning rate"] = (s => s with { Training = Axes(s) with { LearningRates = [-0.1] } }, ["training.learning_rates: -0.1 is not a positive finite number"]),
        ["NaN learning rate"] = (s => s with { Training = Axes(s) with { LearningRates = [double.NaN] } }, ["training.learning_rates: NaN"]),
        ["infinite learning rate"] = (s => s with { Training = Axes(s) with { LearningRates = [double.PositiveInfinity] } }, ["training.learning_rates: Infinity is not"]),
        ["no learning rates"] = (s => s with { Training = Axes(s) with { LearningRates = [] } }, ["training.learning_rates is empty"]),
        ["duplicate learning rate"] = (s => s with { Training = Axes(s) with { LearningRates = [0.1, 0.10] } }, ["training.learning_rates lists 0.1 more than once"]),
        ["momentum one"] = (s => s with { Training = Axes(s) with { Momenta = [1] } }, ["training.momenta: 1 is outside [0, 1)"]),
        ["negative momentum"] = (s => s with { Training = Axes(s) with { Momenta = [-0.5] } }, ["training.momenta: -0.5"]),
        ["no momenta"] = (s => s with { Training = Axes(s) with { Momenta = [] } }, ["training.momenta is empty"]),
        ["no nesterov"] = (s => s with { Training = Axes(s) with { Nesterov = [] } }, ["training.nesterov is empty"]),
        ["duplicate nesterov"] = (s => s with { Training = Axes(s) with { Nesterov = [false, false] } }, ["training.nesterov lists false more than once"]),
        ["negative weight decay"] = (s => s with { Training = Axes(s) with { WeightDecays = [-1e-4] } }, ["training.weight_decays: -0.0001"]),
        ["no weight decays"] = (s => s with { Training = Axes(s) with { WeightDecays = [] } }, ["training.weight_decays is empty"]),
        ["unknown schedule"] = (s => s with { Training = Axes(s) with { Schedules = ["linear"] } }, ["training.schedules: 'linear'", "cosine, step, constant"]),
        ["no schedules"] = (s => s with { Training = Axes(s) with { Schedules = [] } }, ["training.schedules is empty"]),
        ["negative warmup"] = (s => s with { Training = Axes(s) with { WarmupEpochs = [-1] } }, ["training.warmup_epochs: -1 is negative"]),
        ["warmup not below epochs"] = (s => s with { Training = Axes(s) with { Epochs = [3, 10], WarmupEpochs = [3] } }, ["training.warmup_epochs: 3 is not below training.epochs [3]", "below the smallest epochs value (3)"]),
        ["no warmup"] = (s => s with { Training = Axes(s) with { WarmupEpochs = [] } }, ["training.warmup_epochs is empty"]),
        ["label smoothing one"] = (s => s with { Training = Axes(s) with { LabelSmoothing = [1] } }, ["training.label_smoothing: 1 is outside [0, 1)"]),
        ["no label smoothing"] = (s => s with { Training = Axes(s) with { LabelSmoothing = [] } }, ["training.label_smoothing is empty"]),
        ["no augment"] = (s => s with { Training = Axes(s) with { Augment = [] } }, ["training.augment is empty"]),
        ["zero width multiplier"] = (s => s with { Models = ["mobilenet_v2"], Training = Axes(s) with { WidthMultipliers = [0] } }, ["training.width_multipliers: 0 is not a positive finite number"]),
        ["negative depth"] = (s => s with { Models = ["mlp"], Training = Axes(s) with { Depths = [-1] } }, ["training.depths: -1 is negative"]),
        ["zero width"] = (s => s with { Models = ["mlp"], Training = Axes(s) with { Widths = [0] } }, ["training.widths: 0 is not a layer width"]),
        ["width multiplier on shufflenet"] = (s => s with { Models = ["mobilenet_v2", "shufflenet_v2_x0_5"], Training = Axes(s) with { WidthMultipliers = [0.5, 1.0] } },
            ["training.width_multipliers: [0.5] apply only to mobilenet_v2", "[shufflenet_v2_x0_5] refuse", "chosen by name"]),
        ["depth on a cnn"] = (s => s with { Models = ["mlp", "small_cnn"], Training = Axes(s) with { Depths = [1, 2] } }, ["training.depths: [1, 2] apply only to mlp", "[small_cnn] have a fixed layout"]),
        ["width on a cnn"] = (s => s with { Training = Axes(s) with { Widths = [64] } }, ["training.widths: [64] apply only to mlp", "[small_cnn, shufflenet_v2_x0_5]"]),
        ["nesterov with adam"] = (s => s with { Training = Axes(s) with { Optimizers = ["sgd", "adam"], Nesterov = [true] } }, ["training.nesterov: true is combined with the optimizer 'adam'"]),
        ["nesterov without momentum"] = (s => s with { Training = Axes(s) with { Momenta = [0, 0.9], Nesterov = [false, true] } }, ["training.nesterov: true is combined with momentum 0"]),
        ["step without epochs"] = (s => s with { Training = Axes(s) with { Schedules = ["step"], StepEpochs = 0 } }, ["training.step_epochs: 0"]),
        ["step gamma above one"] = (s => s with { Training = Axes(s) with { Schedules = ["cosine", "step"], StepGamma = 2 } }, ["training.step_gamma: 2 is outside (0, 1]"]),
        ["baseline not swept"] = (s => s with { BaselineActivation = "gelu" }, ["baseline_activation: 'gelu' is not among the activations ['relu', 'swish', 'cos']"]),
        ["empty baseline"] = (s => s with { BaselineActivation = " " }, ["baseline_activation is empty"]),
        ["checkpoint interval"] = (s => s with { CheckpointEveryEpochs = 0 }, ["checkpoint_every_epochs is 0"]),
        ["attempts"] = (s => s with { MaxAttempts = 0 }, ["max_attempts is 0"]),
        ["kept checkpoints"] = (s => s with { KeepCheckpoints = 0 }, ["keep_checkpoints is 0"]),
        ["too many cells"] = (s => s with { Seeds = [.. Enumerable.Range(0, 20_000).Select(i => (long)i)] }, ["the sweep has 120000 cells", "at most 100000"]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EachProblemIsReportedOnceWithItsFieldValueAndFix(string name)
    {
        var (breakIt, expected) = Cases[name];
        var problems = SweepValidator.Validate(breakIt(Valid()));
        var problem = Assert.Single(problems);
        foreach (var text in expected) Assert.Contains(text, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var broken = Valid() with
        {
            Name = "Bad Name",
            Models = ["resnet18", "small_cnn"],
            Activations = ["relu", "x*sigmod(x)"],
            Seeds = [-1],
            Training = Axes(Valid()) with { Epochs = [0, 5], LearningRates = [0], Optimizers = ["rmsprop"], WarmupEpochs = [5] },
            BaselineActivation = "gelu",
            MaxAttempts = 0,
        };
        var problems = SweepValidator.Validate(broken);
        string[] fields = ["name", "models", "activations", "seeds", "training.epochs", "training.learning_rates", "training.optimizers", "training.warmup_epochs", "baseline_activation", "max_attempts"];
        Assert.Equal(fields.Length, problems.Count);
        Assert.All(fields, field => Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal)));
    }

    [Fact]
    public void ADataSetMissingFromItsStandardLocationSaysWhereToPutIt()
    {
        // Only Fashion-MNIST is obtainable here; MNIST's standard folder exists on no machine of this project.
        Assert.False(Directory.Exists("/usr/share/datasets/mnist"));
        var problems = SweepValidator.Validate(Valid() with { Datasets = [new DatasetSpec { Name = "mnist" }] });
        var problem = Assert.Single(problems);
        Assert.Contains("datasets[0]: mnist is not at its standard location /usr/share/datasets/mnist", problem, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte.gz", problem, StringComparison.Ordinal);
        Assert.Contains("or set path", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelShapeSettingsAtTheirDefaultAreAcceptedLikeTheModelCatalogAcceptsThem()
    {
        var defaults = new ModelOptions();
        var spec = Valid() with { Training = Axes(Valid()) with { WidthMultipliers = [defaults.WidthMultiplier], Depths = [defaults.Depth], Widths = [defaults.Width] } };
        Assert.Empty(SweepValidator.Validate(spec));
    }

    [Theory]
    [InlineData("small_cnn", 0.5, null, null)]
    [InlineData("shufflenet_v2_x0_5", 0.5, null, null)]
    [InlineData("squeezenet1_1", null, 2, null)]
    [InlineData("mobilenet_v2", null, null, 64)]
    [InlineData("mlp", 0.5, null, null)]
    public void AModelShapeSettingTheModelCatalogRefusesIsAProblem(string model, double? widthMultiplier, int? depth, int? width)
    {
        var defaults = new ModelOptions { InputChannels = 1, ImageSize = 28 };
        var options = defaults with { WidthMultiplier = widthMultiplier ?? defaults.WidthMultiplier, Depth = depth ?? defaults.Depth, Width = width ?? defaults.Width };
        var refusal = Assert.Throws<ArgumentException>(() => ModelCatalog.Create(model, options, () => torch.nn.ReLU()));
        Assert.Contains($"Options for model '{model}' are not usable", refusal.Message, StringComparison.Ordinal);

        var spec = Valid() with
        {
            Models = [model],
            Training = Axes(Valid()) with
            {
                WidthMultipliers = widthMultiplier is double wm ? [wm] : [],
                Depths = depth is int d ? [d] : [],
                Widths = width is int w ? [w] : [],
            },
        };
        Assert.Single(SweepValidator.Validate(spec));
    }

    [Theory]
    [InlineData("mobilenet_v2", 0.5, null, null)]
    [InlineData("mlp", null, 0, 16)]
    public void AModelShapeSettingTheModelCatalogAcceptsIsNoProblem(string model, double? widthMultiplier, int? depth, int? width)
    {
        var defaults = new ModelOptions { InputChannels = 1, ImageSize = 28 };
        var options = defaults with { WidthMultiplier = widthMultiplier ?? defaults.WidthMultiplier, Depth = depth ?? defaults.Depth, Width = width ?? defaults.Width };
        using (ModelCatalog.Create(model, options, () => torch.nn.ReLU())) { }

        var spec = Valid() with
        {
            Models = [model],
            Training = Axes(Valid()) with
            {
                WidthMultipliers = widthMultiplier is double wm ? [wm] : [],
                Depths = depth is int d ? [d] : [],
                Widths = width is int w ? [w] : [],
            },
        };
        Assert.Empty(SweepValidator.Validate(spec));
    }

    [Fact]
    public void EveryCellOfAValidSweepPassesTheTrainingCoresOwnChecks()
    {
        var spec = Valid() with { Training = Axes(Valid()) with { Nesterov = [false, true], Schedules = ["cosine", "step"], WarmupEpochs = [0, 2] } };
        Assert.Empty(SweepValidator.Validate(spec));
        foreach (var cell in SweepExpansion.Expand(spec))
            Assert.Empty(CellSpecs.ToRunSpec(cell.Spec, threads: 1, device: "cpu").Training.Validate());
    }

    [Theory]
    [InlineData("my-sweep", true)]
    [InlineData("a", true)]
    [InlineData("0.paper_protocol-v2", true)]
    [InlineData("My-sweep", false)]
    [InlineData("-sweep", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void SweepNamesAreLowerCaseLettersDigitsAndPunctuationThatBlobNamesAllow(string name, bool usable)
    {
        Assert.Equal(usable, SweepValidator.IsUsableName(name));
        Assert.True(SweepValidator.IsUsableName(new string('x', SweepValidator.MaxNameLength)));
        Assert.False(SweepValidator.IsUsableName(new string('x', SweepValidator.MaxNameLength + 1)));
    }
}
