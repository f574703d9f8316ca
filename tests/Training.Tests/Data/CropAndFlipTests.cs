using CoS.Distributed.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

public class CropAndFlipTests
{
    private const int Side = 6;
    private static readonly float[] PadValues = [-10f, -20f];

    // Two channels of 6×6, every pixel distinct and positive, so that padding (negative) is recognisable.
    private static Tensor Images(int count) =>
        arange(1, 1 + count * 2 * Side * Side, ScalarType.Float32).view(count, 2, Side, Side);

    private static float Expected(float[] images, int n, int c, int i, int j, int top, int left, bool flip)
    {
        var column = flip ? Side - 1 - j : j;
        var (row, col) = (top + i - 4, left + column - 4);
        if (row < 0 || row >= Side || col < 0 || col >= Side) return PadValues[c];
        return images[((n * 2 + c) * Side + row) * Side + col];
    }

    [Theory]
    [InlineData(4, 4, false)]
    [InlineData(4, 4, true)]
    [InlineData(0, 8, false)]
    [InlineData(8, 0, true)]
    [InlineData(1, 7, true)]
    public void EveryPixelComesFromTheShiftedAndMirroredPosition(int top, int left, bool flip)
    {
        using var scope = NewDisposeScope();
        var images = Images(3);
        var source = images.data<float>().ToArray();

        var output = CropAndFlip.Apply(images, full(3, top), full(3, left), full(3, flip ? 1 : 0), tensor(PadValues));

        Assert.Equal(images.shape, output.shape);
        var actual = output.data<float>().ToArray();
        var k = 0;
        for (var n = 0; n < 3; n++)
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < Side; i++)
                    for (var j = 0; j < Side; j++)
                        Assert.Equal(Expected(source, n, c, i, j, top, left, flip), actual[k++]);
    }

    [Fact]
    public void FlipMirrorsEachRow()
    {
        using var scope = NewDisposeScope();
        var images = Images(2);

        var output = CropAndFlip.Apply(images, full(2, 4), full(2, 4), ones(2), tensor(PadValues));

        Assert.True(Tensors.Identical(images.flip(3), output));
    }

    [Fact]
    public void EachSampleGetsItsOwnOffsetAndFlip()
    {
        using var scope = NewDisposeScope();
        var images = Images(2);
        var source = images.data<float>().ToArray();

        var output = CropAndFlip.Apply(images, tensor(new long[] { 0, 8 }), tensor(new long[] { 3, 5 }), tensor(new long[] { 0, 1 }), tensor(PadValues));

        var actual = output.data<float>().ToArray();
        Assert.Equal(Expected(source, 0, 1, 5, 2, 0, 3, false), actual[((0 * 2 + 1) * Side + 5) * Side + 2]);
        Assert.Equal(Expected(source, 1, 0, 1, 0, 8, 5, true), actual[((1 * 2 + 0) * Side + 1) * Side + 0]);
    }

    [Fact]
    public void PaddingIsTheNormalisedBlackPixelOfEachChannel()
    {
        using var scope = NewDisposeScope();
        using var pixels = full(new long[] { 1, 3, 8, 8 }, 255, ScalarType.Byte);
        var images = Normalisation.Cifar10.Apply(pixels);
        var black = Normalisation.Cifar10.BlackPixel();

        var output = CropAndFlip.Apply(images, zeros(1, ScalarType.Int64), zeros(1, ScalarType.Int64), zeros(1), black);

        // Shifted down and right by 4: the top 4 rows and left 4 columns are padding.
        var corner = output[0, TensorIndex.Colon, TensorIndex.Slice(0, 4), TensorIndex.Slice(0, 4)];
        Assert.True(Tensors.Identical(corner, black.view(3, 1, 1).expand(3, 4, 4)));
        var expected = new[] { -0.4914f / 0.2470f, -0.4822f / 0.2435f, -0.4465f / 0.2616f };
        Assert.Equal(expected, black.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.True(Tensors.Identical(output[0, TensorIndex.Colon, TensorIndex.Slice(4, 8), TensorIndex.Slice(4, 8)],
            images[0, TensorIndex.Colon, TensorIndex.Slice(0, 4), TensorIndex.Slice(0, 4)]));
    }

    [Fact]
    public void RandomDrawsOnlyFromTheGivenGenerator()
    {
        using var scope = NewDisposeScope();
        var images = Images(16);
        var before = random.get_rng_state();

        var first = CropAndFlip.Random(images, tensor(PadValues), new Generator(77));
        var again = CropAndFlip.Random(images, tensor(PadValues), new Generator(77));

        Assert.Equal(images.shape, first.shape);
        Assert.True(Tensors.Identical(first, again));
        Assert.True(Tensors.Identical(before, random.get_rng_state()));
    }
}
