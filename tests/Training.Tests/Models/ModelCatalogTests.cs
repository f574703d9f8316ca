using CoS.Distributed.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

public class ModelCatalogTests
{
    private static readonly ModelOptions Greyscale28 = new() { InputChannels = 1, ImageSize = 28 };

    public static TheoryData<string> CatalogNames => [.. ModelCatalog.Names];

    [Fact]
    public void CatalogListsEveryModelName()
    {
        Assert.Equal(
            ["shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0", "mobilenet_v2",
             "squeezenet1_0", "squeezenet1_1", "mlp", "small_cnn"],
            ModelCatalog.Names);
    }

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void EveryModelTrainsOnABatchAndGivesOneLogitPerClass(string name)
    {
        using var scope = torch.NewDisposeScope();
        var options = name is "mlp" or "small_cnn" ? Greyscale28 : new ModelOptions();
        using var model = ModelCatalog.Create(name, options, () => nn.ReLU());
        var images = torch.randn(2, options.InputChannels, options.ImageSize, options.ImageSize);

        var logits = model.forward(images);
        nn.functional.cross_entropy(logits, torch.tensor(new long[] { 3, 7 })).backward();

        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null, $"{p.name} got no gradient"));
        model.eval();
        using var noGrad = torch.no_grad();
        Assert.Equal(new long[] { 2, 10 }, model.forward(images).shape);
    }

    [Theory]
    [InlineData("mobilenet_v2")]
    [InlineData("squeezenet1_1")]
    [InlineData("mlp")]
    [InlineData("small_cnn")]
    public void SameSeedGivesIdenticalInitialWeightsAndAnotherSeedDoesNot(string name)
    {
        using var scope = torch.NewDisposeScope();
        var options = name is "mlp" or "small_cnn" ? Greyscale28 : new ModelOptions();
        torch.manual_seed(42);
        using var first = ModelCatalog.Create(name, options, () => nn.ReLU());
        torch.manual_seed(42);
        using var second = ModelCatalog.Create(name, options, () => nn.ReLU());
        torch.manual_seed(43);
        using var third = ModelCatalog.Create(name, options, () => nn.ReLU());

        var a = first.state_dict();
        var b = second.state_dict();
        var c = third.state_dict();
        Assert.All(a, kv => Assert.True(Same(kv.Value, b[kv.Key]), $"{kv.Key} differs for the same seed"));
        Assert.Contains(a, kv => kv.Value.is_floating_point() && !Same(kv.Value, c[kv.Key]));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();

    [Fact]
    public void CountParametersCountsTrainableValuesOnly()
    {
        using var model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        Assert.Equal(4 * 3 + 3 + 3 + 3, ModelCatalog.CountParameters(model));
    }

    [Fact]
    public void UnknownNameIsRejectedWithTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Create("resnet18", new ModelOptions(), () => nn.ReLU()));

        Assert.Contains("resnet18", error.Message, StringComparison.Ordinal);
        Assert.All(ModelCatalog.Names, known => Assert.Contains(known, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void NamesAreMatchedWithoutRegardToCase()
    {
        using var model = ModelCatalog.Create("SqueezeNet1_1", new ModelOptions(), () => nn.ReLU());
        Assert.IsType<SqueezeNet>(model);
    }

    [Theory]
    [InlineData("shufflenet_v2_x1_0", "WidthMultiplier")]
    [InlineData("squeezenet1_0", "Depth")]
    [InlineData("small_cnn", "Dropout")]
    [InlineData("mobilenet_v2", "BatchNorm")]
    [InlineData("mlp", "NumClasses")]
    [InlineData("mobilenet_v2", "Dropout")]
    public void OptionsAModelDoesNotUseOrCannotHaveAreRejectedByName(string name, string option)
    {
        var options = option switch
        {
            "WidthMultiplier" => new ModelOptions { WidthMultiplier = 0.5 },
            "Depth" => new ModelOptions { Depth = 8 },
            "Dropout" when name == "mobilenet_v2" => new ModelOptions { Dropout = 1.5 },
            "Dropout" => new ModelOptions { Dropout = 0.1 },
            "BatchNorm" => new ModelOptions { BatchNorm = true },
            _ => new ModelOptions { NumClasses = 0 },
        };

        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Create(name, options, () => nn.ReLU()));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageSizeBelowTheModelsMinimumIsRejectedAtCreation()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ModelCatalog.Create("squeezenet1_0", new ModelOptions { ImageSize = 9 }, () => nn.ReLU()));
        Assert.Contains("10x10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("squeezenet1_0", 10)]
    [InlineData("squeezenet1_1", 6)]
    [InlineData("shufflenet_v2_x0_5", 1)]
    [InlineData("mobilenet_v2", 1)]
    public void SmallestAcceptedImageRunsAndOnePixelLessIsRefused(string name, int smallest)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => nn.ReLU());
        model.eval();
        using var noGrad = torch.no_grad();

        Assert.Equal(smallest, model.MinimumImageSize);
        Assert.Equal(new long[] { 1, 10 }, model.forward(torch.randn(1, 3, smallest, smallest)).shape);
        if (smallest > 1)
            Assert.Throws<ArgumentException>(() => model.forward(torch.randn(1, 3, smallest - 1, smallest - 1)));
    }

    [Theory]
    [InlineData("shufflenet_v2_x0_5", new long[] { 2, 1, 32, 32 }, "InputChannels = 1")]
    [InlineData("squeezenet1_1", new long[] { 3, 32, 32 }, "4 dimensions")]
    [InlineData("small_cnn", new long[] { 2, 3, 32, 32 }, "InputChannels = 3")]
    [InlineData("mlp", new long[] { 2, 1, 32, 32 }, "ImageSize = 32")]
    public void InputOfTheWrongShapeIsRefusedWithTheFix(string name, long[] shape, string fix)
    {
        using var scope = torch.NewDisposeScope();
        var options = name is "mlp" or "small_cnn" ? Greyscale28 : new ModelOptions();
        using var model = ModelCatalog.Create(name, options, () => nn.ReLU());

        var error = Assert.Throws<ArgumentException>(() => model.forward(torch.zeros(shape)));

        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
        Assert.Contains($"[{string.Join(", ", shape)}]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShuffleNetV2RefusesAWidthTorchvisionDoesNotDefine()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffleNetV2(0.75, 10, 3, () => nn.ReLU()));
        Assert.Contains("0.5, 1.0, 1.5, 2.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActivationFactoryReturningOneSharedModuleIsRefused()
    {
        using var shared = nn.ReLU();
        var error = Assert.Throws<InvalidOperationException>(() => ModelCatalog.Create("small_cnn", Greyscale28, () => shared));
        Assert.Contains("new module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActivationWithParametersIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelCatalog.Create("mlp", Greyscale28, () => nn.PReLU(1)));
        Assert.Contains("parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DropoutOptionReachesTheClassifier()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelCatalog.Create("squeezenet1_1", new ModelOptions { Dropout = 0.0 }, () => nn.ReLU());
        var images = torch.randn(2, 3, 32, 32);

        var training = model.forward(images);
        model.eval();
        var evaluation = model.forward(images);

        Assert.True(training.allclose(evaluation, rtol: 1e-5, atol: 1e-6), "with dropout 0 training and eval outputs agree");
    }
}
