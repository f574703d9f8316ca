using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

public sealed class CellIdentityTests
{
    // Anchors the canonical form: if one of these changes, every stored cell id changes with it (bump the domain version).
    private const string SampleCanonicalJson =
        """{"dataset":{"name":"fashion-mnist","path":null,"train_per_class":100,"test_per_class":50,"subset_seed":3},"model":"small_cnn","activation":"cos","seed":7,"width_multiplier":null,"depth":null,"width":null,"epochs":12,"batch_size":64,"optimizer":"sgd","learning_rate":0.05,"momentum":0.9,"nesterov":true,"weight_decay":0.0005,"schedule":"cosine","warmup_epochs":2,"label_smoothing":0.1,"augment":true,"step_epochs":30,"step_gamma":0.1}""";

    // The first 16 hex digits of SHA-256("cos.cell.v1\n" + canonical JSON), and of "cos.group.v1\n" + the JSON with
    // seed 0, computed outside .NET (Python's hashlib) from the string above.
    private const string SampleCellId = "b28ba2701bf6b7cf";
    private const string SampleGroupId = "8ec744b81dd387d8";

    [Fact]
    public void CanonicalFormAndIdsOfAFixedCellNeverChange()
    {
        var cell = SampleSpecs.Cell();
        Assert.Equal(SampleCanonicalJson, CellIdentity.CanonicalJson(cell));
        Assert.Equal(SampleCellId, CellIdentity.CellId(cell));
        Assert.Equal(SampleGroupId, CellIdentity.GroupId(cell));
    }

    [Fact]
    public void IdsAreSixteenLowercaseHexDigits()
    {
        var id = CellIdentity.CellId(SampleSpecs.Cell());
        Assert.Equal(CellIdentity.IdLength, id.Length);
        Assert.Matches("^[0-9a-f]{16}$", id);
    }

    [Fact]
    public void EqualConfigurationsBuiltSeparatelyHaveEqualIds()
    {
        var a = SampleSpecs.Cell();
        var b = SampleSpecs.Cell() with { Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 100, TestPerClass = 50, SubsetSeed = 3 } };
        Assert.NotSame(a.Dataset, b.Dataset);
        Assert.Equal(CellIdentity.CellId(a), CellIdentity.CellId(b));
        Assert.Equal(CellIdentity.GroupId(a), CellIdentity.GroupId(b));
    }

    public static TheoryData<string> Changes => [.. CellChanges.Keys];

    // One change per member of CellSpec and DatasetSpec; CoverEveryMember keeps this list complete.
    private static readonly Dictionary<string, Func<CellSpec, CellSpec>> CellChanges = new()
    {
        ["Dataset.Name"] = c => c with { Dataset = c.Dataset with { Name = "mnist" } },
        ["Dataset.Path"] = c => c with { Dataset = c.Dataset with { Path = "/data/fashion" } },
        ["Dataset.TrainPerClass"] = c => c with { Dataset = c.Dataset with { TrainPerClass = 101 } },
        ["Dataset.TestPerClass"] = c => c with { Dataset = c.Dataset with { TestPerClass = null } },
        ["Dataset.SubsetSeed"] = c => c with { Dataset = c.Dataset with { SubsetSeed = 4 } },
        ["Model"] = c => c with { Model = "mlp" },
        ["Activation"] = c => c with { Activation = "relu" },
        ["Seed"] = c => c with { Seed = 8 },
        ["WidthMultiplier"] = c => c with { WidthMultiplier = 1.0 },
        ["Depth"] = c => c with { Depth = 3 },
        ["Width"] = c => c with { Width = 256 },
        ["Epochs"] = c => c with { Epochs = 13 },
        ["BatchSize"] = c => c with { BatchSize = 128 },
        ["Optimizer"] = c => c with { Optimizer = "adam" },
        ["LearningRate"] = c => c with { LearningRate = 0.05 + 1e-15 },
        ["Momentum"] = c => c with { Momentum = 0.0 },
        ["Nesterov"] = c => c with { Nesterov = false },
        ["WeightDecay"] = c => c with { WeightDecay = 0 },
        ["Schedule"] = c => c with { Schedule = "step" },
        ["WarmupEpochs"] = c => c with { WarmupEpochs = 0 },
        ["LabelSmoothing"] = c => c with { LabelSmoothing = 0 },
        ["Augment"] = c => c with { Augment = false },
        ["StepEpochs"] = c => c with { StepEpochs = 31 },
        ["StepGamma"] = c => c with { StepGamma = 0.2 },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangingAnyFieldChangesTheCellId(string field)
    {
        var cell = SampleSpecs.Cell();
        var changed = CellChanges[field](cell);
        Assert.NotEqual(cell, changed);
        Assert.NotEqual(CellIdentity.CellId(cell), CellIdentity.CellId(changed));
        if (field != "Seed") Assert.NotEqual(CellIdentity.GroupId(cell), CellIdentity.GroupId(changed));
    }

    [Fact]
    public void EveryMemberOfACellHasAChangeThatIsTested()
    {
        var members = typeof(CellSpec).GetProperties().Where(p => p.Name != "EqualityContract" && p.Name != nameof(CellSpec.Dataset)).Select(p => p.Name)
            .Concat(typeof(DatasetSpec).GetProperties().Where(p => p.Name != "EqualityContract").Select(p => "Dataset." + p.Name));
        Assert.Equal(members.Order(), CellChanges.Keys.Order());
    }

    [Fact]
    public void SeedChangesTheCellIdButNotTheGroupId()
    {
        var cell = SampleSpecs.Cell();
        var other = cell with { Seed = 12345 };
        Assert.NotEqual(CellIdentity.CellId(cell), CellIdentity.CellId(other));
        Assert.Equal(CellIdentity.GroupId(cell), CellIdentity.GroupId(other));
    }

    [Fact]
    public void GroupIdIsNotTheIdOfTheSeedZeroCell()
    {
        var seedZero = SampleSpecs.Cell() with { Seed = 0 };
        Assert.NotEqual(CellIdentity.CellId(seedZero), CellIdentity.GroupId(seedZero));
    }

    [Theory]
    [InlineData("SiLU", "swish")]
    [InlineData(" Swish ", "swish")]
    [InlineData("ReLU", "relu")]
    [InlineData("COS", "cos")]
    [InlineData("x * sigmoid(x) + (sigmoid(5*x) - 0.5)^2", "x*sigmoid(x)+(sigmoid(5*x)-0.5)^2")]
    [InlineData("  x\t*\tsigmoid( x )  ", "x*sigmoid(x)")]
    [InlineData("Swissh", "swissh")]
    public void ActivationsAreNamedByTheirRegistryNameAndFormulasLoseTheirWhiteSpace(string written, string canonical)
    {
        Assert.Equal(canonical, CellIdentity.CanonicalActivation(written));
        var cell = SampleSpecs.Cell();
        Assert.Equal(CellIdentity.CellId(cell with { Activation = canonical }), CellIdentity.CellId(cell with { Activation = written }));
    }

    [Fact]
    public void FormulasKeepTheirCaseAsWritten()
    {
        var cell = SampleSpecs.Cell();
        Assert.Equal("X*Sigmoid(x)", CellIdentity.CanonicalActivation(" X * Sigmoid(x)"));
        Assert.NotEqual(CellIdentity.CellId(cell with { Activation = "x*sigmoid(x)" }), CellIdentity.CellId(cell with { Activation = "X*Sigmoid(x)" }));
    }

    [Fact]
    public void NamesAreTrimmedAndLowerCased()
    {
        var cell = SampleSpecs.Cell();
        var written = cell with
        {
            Dataset = cell.Dataset with { Name = " Fashion-MNIST " },
            Model = "Small_CNN ",
            Optimizer = " SGD",
            Schedule = "Cosine",
        };
        Assert.Equal(SampleCanonicalJson, CellIdentity.CanonicalJson(written));
        Assert.Equal(CellIdentity.CellId(cell), CellIdentity.CellId(written));
        Assert.Equal(CellIdentity.GroupId(cell), CellIdentity.GroupId(written));
    }

    [Fact]
    public void DataFoldersCompareWithoutTrailingSeparators()
    {
        var cell = SampleSpecs.Cell();
        var plain = cell with { Dataset = cell.Dataset with { Path = "/data/fashion" } };
        var slashed = cell with { Dataset = cell.Dataset with { Path = " /data/fashion/ " } };
        Assert.Equal(CellIdentity.CellId(plain), CellIdentity.CellId(slashed));
        Assert.Equal("/", CellIdentity.Canonical(cell.Dataset with { Path = "/" }).Path);
    }

    [Fact]
    public void NegativeZeroIsZeroAndDoublesAreWrittenShortest()
    {
        var cell = SampleSpecs.Cell();
        Assert.Equal(CellIdentity.CellId(cell with { WeightDecay = 0.0 }), CellIdentity.CellId(cell with { WeightDecay = -0.0 }));
        Assert.Contains("\"learning_rate\":0.1,", CellIdentity.CanonicalJson(cell with { LearningRate = 0.1 }), StringComparison.Ordinal);
        Assert.Contains("\"learning_rate\":1E-05,", CellIdentity.CanonicalJson(cell with { LearningRate = 1e-5 }), StringComparison.Ordinal);
    }
}
