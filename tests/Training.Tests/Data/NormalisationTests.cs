using CoS.Distributed.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

public class NormalisationTests
{
    [Theory]
    [InlineData(0, -0.810198)]
    [InlineData(128, 0.611787)]
    [InlineData(255, 2.022663)]
    public void FashionMnistPixelBecomesPixelOver255MinusMeanOverStd(byte pixel, double expected)
    {
        using var pixels = full(new long[] { 1, 1, 1, 1 }, pixel, ScalarType.Byte);
        using var normalised = Normalisation.FashionMnist.Apply(pixels);

        Assert.Equal(ScalarType.Float32, normalised.dtype);
        Assert.Equal(expected, normalised.item<float>(), 5);
    }

    [Fact]
    public void Cifar10UsesItsOwnMeanAndStdPerChannel()
    {
        using var pixels = full(new long[] { 2, 3, 1, 1 }, 200, ScalarType.Byte);
        using var normalised = Normalisation.Cifar10.Apply(pixels);

        var values = normalised.data<float>().ToArray();
        double[] mean = [0.4914, 0.4822, 0.4465], std = [0.2470, 0.2435, 0.2616];
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal((200 / 255.0 - mean[c]) / std[c], values[c], 5);
            Assert.Equal(values[c], values[3 + c]);
        }
    }

    [Fact]
    public void MnistConstantsAreTheStandardOnes()
    {
        Assert.Equal([0.1307f], Normalisation.Mnist.Mean);
        Assert.Equal([0.3081f], Normalisation.Mnist.Std);
        Assert.Equal([0.2860f], Normalisation.FashionMnist.Mean);
        Assert.Equal([0.3530f], Normalisation.FashionMnist.Std);
    }

    [Fact]
    public void BlackPixelIsExactlyWhatAZeroPixelNormalisesTo()
    {
        using var zero = zeros(1, 3, 2, 2, ScalarType.Byte);
        using var normalised = Normalisation.Cifar10.Apply(zero);
        using var black = Normalisation.Cifar10.BlackPixel();

        Assert.Equal(new long[] { 3 }, black.shape);
        var values = black.data<float>().ToArray();
        Assert.Equal(normalised[0, TensorIndex.Colon, 0, 0].data<float>().ToArray(), values);
        Assert.Equal(-0.4914 / 0.2470, values[0], 5);
    }

    [Fact]
    public void ChannelCountMismatchIsRejected()
    {
        using var pixels = zeros(1, 1, 2, 2, ScalarType.Byte);

        var error = Assert.Throws<ArgumentException>(() => Normalisation.Cifar10.Apply(pixels));

        Assert.Contains("[N, 3, H, W]", error.Message, StringComparison.Ordinal);
    }
}
