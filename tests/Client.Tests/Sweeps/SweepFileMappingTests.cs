using System.Text.Json;
using CoS.Distributed.Client.Sweeps;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Tests.Sweeps;

/// <summary>Valid sweep files and the SweepSpec each becomes.</summary>
public sealed class SweepFileMappingTests : IDisposable
{
    private readonly SweepFolder folder = new();

    public void Dispose() => folder.Dispose();

    private SweepSpec Spec(string yaml, string fileName = "sweep.yaml")
    {
        var result = folder.Load(yaml, fileName);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Spec;
    }

    // Records compare lists by reference; their JSON compares every value.
    private static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    private const string Minimal = """
        dataset: {name: fashion-mnist, path: data}
        models: [small_cnn]
        activations: [relu, cos]
        seeds: 2
        """;

    [Fact]
    public void AFileWithEveryKeyBecomesTheSweepItDeclares()
    {
        var spec = Spec("""
            name: every-key
            dataset:
              - {name: fashion-mnist, path: data}
              - name: mnist
                path: ./data
                train_per_class: 100
                test_per_class: 50
                subset_seed: 3
            models: [mlp]
            activations: [relu, swish, cos, "x*tanh(softplus(x))"]
            baseline: relu
            seeds: [1, 2, 3]
            training:
              epochs: 3
              batch_size: [32, 64]
              optimizer: sgd
              learning_rate: [0.1, 0.05]
              momentum: 0.9
              nesterov: [false, true]
              weight_decay: 5e-4
              schedule: [cosine, step]
              warmup_epochs: 1
              label_smoothing: 0.1
              augment: true
              width_multiplier: 1.0
              depth: [1, 2]
              width: 64
              step_epochs: 2
              step_gamma: 0.5
            checkpoint_every: 2
            max_attempts: 4
            keep_checkpoints: 3
            """);

        AssertSame(new SweepSpec
        {
            Name = "every-key",
            Datasets =
            [
                new DatasetSpec { Name = "fashion-mnist", Path = folder.Data },
                new DatasetSpec { Name = "mnist", Path = folder.Data, TrainPerClass = 100, TestPerClass = 50, SubsetSeed = 3 },
            ],
            Models = ["mlp"],
            Activations = ["relu", "swish", "cos", "x*tanh(softplus(x))"],
            BaselineActivation = "relu",
            Seeds = [1, 2, 3],
            Training = new HyperParameterAxes
            {
                Epochs = [3],
                BatchSizes = [32, 64],
                Optimizers = ["sgd"],
                LearningRates = [0.1, 0.05],
                Momenta = [0.9],
                Nesterov = [false, true],
                WeightDecays = [5e-4],
                Schedules = ["cosine", "step"],
                WarmupEpochs = [1],
                LabelSmoothing = [0.1],
                Augment = [true],
                WidthMultipliers = [1.0],
                Depths = [1, 2],
                Widths = [64],
                StepEpochs = 2,
                StepGamma = 0.5,
            },
            CheckpointEveryEpochs = 2,
            MaxAttempts = 4,
            KeepCheckpoints = 3,
        }, spec);
    }

    [Fact]
    public void KeysLeftOutTakeTheSpecDefaults()
    {
        var spec = Spec(Minimal);

        var defaults = new SweepSpec { Name = "sweep" };
        AssertSame(defaults with
        {
            Datasets = [new DatasetSpec { Name = "fashion-mnist", Path = folder.Data }],
            Models = ["small_cnn"],
            Activations = ["relu", "cos"],
            Seeds = [0, 1],
        }, spec);
        Assert.Null(spec.BaselineActivation);
        Assert.Equal([10], spec.Training.Epochs);
        Assert.Equal(1, spec.CheckpointEveryEpochs);
        Assert.Equal(3, spec.MaxAttempts);
        Assert.Equal(2, spec.KeepCheckpoints);
    }

    [Fact]
    public void OneValueIsASettingAndAListIsAnAxisInFlowOrBlockForm()
    {
        var spec = Spec(Minimal + """

            training:
              learning_rate: 0.05
              batch_size:
                - 32
                - 64
                - 128
              augment: [true]
            """);

        Assert.Equal([0.05], spec.Training.LearningRates);
        Assert.Equal([32, 64, 128], spec.Training.BatchSizes);
        Assert.Equal([true], spec.Training.Augment);
    }

    [Theory]
    [InlineData("seeds: 5", new long[] { 0, 1, 2, 3, 4 })]
    [InlineData("seeds: 1", new long[] { 0 })]
    [InlineData("seeds: [5]", new long[] { 5 })]
    [InlineData("seeds: [7, 11, 2]", new long[] { 7, 11, 2 })]
    [InlineData("seeds:\n  - 3\n  - 4", new long[] { 3, 4 })]
    public void SeedsAreACountFromZeroOrAListOfSeeds(string seeds, long[] expected)
    {
        var spec = Spec(Minimal.Replace("seeds: 2", seeds, StringComparison.Ordinal));
        Assert.Equal(expected, spec.Seeds);
    }

    [Fact]
    public void ADatasetIsANameAMappingOrAListOfEither()
    {
        var byName = folder.Load(Minimal.Replace("{name: fashion-mnist, path: data}", "fashion-mnist", StringComparison.Ordinal), checkDataFolders: false);
        Assert.True(byName.Succeeded, string.Join("\n", byName.Errors));
        AssertSame(new DatasetSpec { Name = "fashion-mnist" }, byName.Spec.Datasets.Single());

        var mapping = Spec(Minimal.Replace("{name: fashion-mnist, path: data}", "\n  name: mnist\n  path: data\n  train_per_class: 10", StringComparison.Ordinal));
        AssertSame(new DatasetSpec { Name = "mnist", Path = folder.Data, TrainPerClass = 10 }, mapping.Datasets.Single());

        var list = folder.Load(Minimal.Replace("{name: fashion-mnist, path: data}", "[cifar10, {name: mnist, path: data}]", StringComparison.Ordinal), checkDataFolders: false);
        Assert.True(list.Succeeded, string.Join("\n", list.Errors));
        Assert.Equal(["cifar10", "mnist"], list.Spec.Datasets.Select(d => d.Name));
        Assert.Equal([null, folder.Data], list.Spec.Datasets.Select(d => d.Path));
    }

    [Fact]
    public void ARelativeDataPathStartsAtTheSweepFilesFolderNotTheWorkingFolder()
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, "sweeps"));
        var spec = Spec(Minimal.Replace("path: data", "path: ../data", StringComparison.Ordinal), Path.Combine("sweeps", "relative.yaml"));
        Assert.Equal(folder.Data, spec.Datasets.Single().Path);
    }

    [Fact]
    public void SingularKeysTakeOneValue()
    {
        var spec = Spec(Minimal.Replace("models: [small_cnn]", "model: small_cnn", StringComparison.Ordinal)
            .Replace("activations: [relu, cos]", "activation: cos", StringComparison.Ordinal));
        Assert.Equal(["small_cnn"], spec.Models);
        Assert.Equal(["cos"], spec.Activations);
    }

    [Theory]
    [InlineData("quickstart.yaml", "quickstart")]
    [InlineData("Paper CIFAR10.yml", "paper-cifar10")]
    [InlineData("depth_mnist.v2.yaml", "depth_mnist.v2")]
    [InlineData("__My  Sweep!!.yaml", "my-sweep")]
    public void TheNameDefaultsToTheFileNameMadeUsable(string fileName, string expected)
    {
        Assert.Equal(expected, Spec(Minimal, fileName).Name);
    }

    [Fact]
    public void AFileNameWithNothingUsableIsNoName()
    {
        Assert.Null(SweepFile.NameFromFile("!!!.yaml"));
    }

    [Fact]
    public void AnExplicitNameWinsOverTheFileName()
    {
        Assert.Equal("cos-vs-relu", Spec("name: cos-vs-relu\n" + Minimal, "other.yaml").Name);
    }

    [Fact]
    public void AnchorsAndAliasesReuseAValue()
    {
        var spec = Spec(Minimal.Replace("activations: [relu, cos]", "activations: &compared [relu, cos]\nbaseline: relu", StringComparison.Ordinal)
            + "\ntraining:\n  epochs: &short 2\n  warmup_epochs: 1\n  step_epochs: *short");
        Assert.Equal(2, spec.Training.StepEpochs);
        Assert.Equal("relu", spec.BaselineActivation);
    }
}
