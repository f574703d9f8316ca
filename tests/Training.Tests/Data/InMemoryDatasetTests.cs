using CoS.Distributed.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

public class InMemoryDatasetTests
{
    [Fact]
    public void KeepsOnlyTheSelectedImagesInTheGivenOrder()
    {
        var raw = new RawImages(DataFiles.Pixels(6, 1, 2, 2), DataFiles.Labels(6), 1, 2, 2);

        using var data = InMemoryDataset.FromRaw("picked", raw, 10, Normalisation.Mnist, [4, 1]);

        Assert.Equal((2, 1, 2, 2), (data.Count, data.Channels, data.Height, data.Width));
        Assert.Equal(new long[] { DataFiles.Labels(6)[4], DataFiles.Labels(6)[1] }, data.Labels.data<long>().ToArray());
        var expected = (DataFiles.Pixel(1, 0, 1, 1) / 255f - 0.1307f) / 0.3081f;
        Assert.Equal(expected, data.Images[1, 0, 1, 1].item<float>(), 5);
    }

    [Fact]
    public void SurvivesTheDisposeScopeItWasBuiltIn()
    {
        var raw = new RawImages(DataFiles.Pixels(3, 1, 2, 2), DataFiles.Labels(3), 1, 2, 2);
        InMemoryDataset data;
        using (NewDisposeScope())
            data = InMemoryDataset.FromRaw("scoped", raw, 10, Normalisation.Mnist);

        using (data)
        {
            Assert.False(data.Images.IsInvalid);
            Assert.Equal(12, data.Images.numel());
        }
        Assert.True(data.Images.IsInvalid);
    }

    [Fact]
    public void RejectsLabelsThatAreNotOnePerImage()
    {
        using var images = zeros(4, 1, 2, 2);
        using var labels = zeros(3, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => new InMemoryDataset("bad", images, labels, 10, Normalisation.Mnist));

        Assert.Contains("labels must be int64 [4]", error.Message, StringComparison.Ordinal);
    }
}
