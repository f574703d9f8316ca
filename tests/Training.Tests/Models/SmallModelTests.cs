using CoS.Distributed.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

public class SmallModelTests
{
    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 32)]
    [InlineData(5, 100)]
    public void MlpHasDepthHiddenLayersOfWidthUnits(int depth, int width)
    {
        var options = new ModelOptions { Depth = depth, Width = width, InputChannels = 1, ImageSize = 28 };
        using var model = ModelCatalog.Create("mlp", options, () => new MarkedActivation());

        var linears = model.modules().OfType<Linear>().ToList();
        Assert.Equal(depth + 1, linears.Count);
        Assert.Equal(depth, model.modules().OfType<MarkedActivation>().Count());
        Assert.Empty(model.modules().OfType<BatchNorm1d>());
        var expected = depth == 0
            ? 784L * 10 + 10
            : 784L * width + width + (depth - 1) * ((long)width * width + width) + (long)width * 10 + 10;
        Assert.Equal(expected, ModelCatalog.CountParameters(model));
        Assert.Equal(depth, ((FullyConnectedNetwork)model).Depth);
        Assert.Equal(width, ((FullyConnectedNetwork)model).Width);
    }

    [Fact]
    public void MlpBatchNormAddsOneBatchNormPerHiddenLayer()
    {
        using var scope = torch.NewDisposeScope();
        var options = new ModelOptions { Depth = 4, Width = 16, BatchNorm = true, InputChannels = 1, ImageSize = 28 };
        using var model = ModelCatalog.Create("mlp", options, () => nn.ReLU());

        Assert.Equal(4, model.modules().OfType<BatchNorm1d>().Count());
        Assert.Equal(new long[] { 3, 10 }, model.forward(torch.randn(3, 1, 28, 28)).shape);
    }

    [Fact]
    public void SmallCnnHasTheDocumentedLayersAndSize()
    {
        using var model = ModelCatalog.Create("small_cnn", new ModelOptions { InputChannels = 1, ImageSize = 28 }, () => new MarkedActivation());

        var convolutions = model.modules().OfType<Conv2d>().Select(c => c.weight!.shape).ToList();
        Assert.Equal([new long[] { 32, 1, 3, 3 }, new long[] { 64, 32, 3, 3 }], convolutions);
        var linears = model.modules().OfType<Linear>().Select(l => l.weight!.shape).ToList();
        Assert.Equal([new long[] { 128, 64 * 5 * 5 }, new long[] { 10, 128 }], linears);
        Assert.Equal(3, model.modules().OfType<MarkedActivation>().Count());
        Assert.Equal(225_034, ModelCatalog.CountParameters(model));
    }

    [Fact]
    public void SmallCnnAdaptsItsClassifierToColourCifarImages()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelCatalog.Create("small_cnn", new ModelOptions(), () => nn.ReLU());

        Assert.Equal(new long[] { 128, 64 * 6 * 6 }, model.modules().OfType<Linear>().First().weight!.shape);
        Assert.Equal(new long[] { 2, 10 }, model.forward(torch.randn(2, 3, 32, 32)).shape);
    }
}
