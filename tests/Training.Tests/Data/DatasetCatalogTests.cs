using System.Diagnostics;
using CoS.Distributed.Training.Data;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

public class DatasetCatalogTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsAnIdxFolderNormalisedWithLabelsAsInt64(bool gzip)
    {
        using var files = new DataFiles();
        files.WriteIdxSet(trainCount: 30, testCount: 20, height: 5, width: 4, gzip);

        using var split = DatasetCatalog.Load(new DatasetOptions { Name = "mnist", Path = files.Folder });

        var train = split.Train;
        Assert.Equal((30, 1, 5, 4, 10), (train.Count, train.Channels, train.Height, train.Width, train.ClassCount));
        Assert.Equal(20, split.Test.Count);
        Assert.Equal(ScalarType.Float32, train.Images.dtype);
        Assert.Equal(ScalarType.Int64, train.Labels.dtype);
        Assert.Equal(DataFiles.Labels(30).Select(l => (long)l), train.Labels.data<long>().ToArray());
        var expected = DataFiles.Pixels(30, 1, 5, 4).Select(p => (p / 255f - 0.1307f) / 0.3081f).ToArray();
        Assert.Equal(expected, train.Images.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void LoadsACifar10FolderOrTheFolderItWasExtractedInto()
    {
        using var files = new DataFiles();
        var batches = Directory.CreateDirectory(files.PathOf("cifar-10-batches-bin")).FullName;
        foreach (var (name, n) in Cifar10Reader.TrainFileNames.Select((name, n) => (name, n)))
            File.WriteAllBytes(Path.Combine(batches, name), DataFiles.CifarRecords(4, firstImage: 4 * n));
        File.WriteAllBytes(Path.Combine(batches, Cifar10Reader.TestFileName), DataFiles.CifarRecords(10));

        using var fromParent = DatasetCatalog.Load(new DatasetOptions { Name = "CIFAR10", Path = files.Folder });
        using var fromBatches = DatasetCatalog.Load(new DatasetOptions { Name = "cifar10", Path = batches });

        Assert.Equal((20, 3, 32, 32), (fromParent.Train.Count, fromParent.Train.Channels, fromParent.Train.Height, fromParent.Train.Width));
        Assert.Equal(10, fromParent.Test.Count);
        Assert.True(Tensors.Identical(fromParent.Train.Images, fromBatches.Train.Images));
        // Image 7, blue plane, row 31, column 0.
        var expected = (DataFiles.Pixel(7, 2, 31, 0) / 255f - 0.4465f) / 0.2616f;
        Assert.Equal(expected, fromParent.Train.Images[7, 2, 31, 0].item<float>(), 5);
    }

    [Fact]
    public void SubsetsBothSplitsPerClassReproducibly()
    {
        using var files = new DataFiles();
        files.WriteIdxSet(trainCount: 200, testCount: 100, height: 3, width: 3, gzip: false);
        var options = new DatasetOptions { Name = "mnist", Path = files.Folder, TrainPerClass = 6, TestPerClass = 2, SubsetSeed = 9 };

        using var first = DatasetCatalog.Load(options);
        using var again = DatasetCatalog.Load(options);
        using var other = DatasetCatalog.Load(options with { SubsetSeed = 10 });

        Assert.Equal(Enumerable.Repeat(6L, 10), first.Train.CountPerClass());
        Assert.Equal(Enumerable.Repeat(2L, 10), first.Test.CountPerClass());
        Assert.True(Tensors.Identical(first.Train.Images, again.Train.Images));
        Assert.True(Tensors.Identical(first.Test.Images, again.Test.Images));
        Assert.False(Tensors.Identical(first.Train.Images, other.Train.Images));
    }

    [Fact]
    public void SubsetLargerThanAClassSaysWhichClass()
    {
        using var files = new DataFiles();
        files.WriteIdxSet(trainCount: 50, testCount: 20, height: 2, width: 2, gzip: false);

        var error = Assert.Throws<ArgumentException>(() =>
            DatasetCatalog.Load(new DatasetOptions { Name = "mnist", Path = files.Folder, TestPerClass = 3 }));

        Assert.Contains("mnist test", error.Message, StringComparison.Ordinal);
        Assert.Contains("class 0 has 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load(new DatasetOptions { Name = "cifar100" }));

        Assert.Contains("'cifar100'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fashion-mnist, mnist, cifar10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonPositivePerClassCountIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DatasetCatalog.Load(new DatasetOptions { Name = "fashion-mnist", TrainPerClass = 0 }));

        Assert.Contains("TrainPerClass is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolderNamesItAndHowToGetFashionMnist()
    {
        using var files = new DataFiles();
        var folder = files.PathOf("nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() =>
            DatasetCatalog.Load(new DatasetOptions { Name = "fashion-mnist", Path = folder }));

        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileNamesItAndHowToFixIt()
    {
        using var files = new DataFiles();
        files.WriteIdxSet(trainCount: 10, testCount: 10, height: 2, width: 2, gzip: true);
        File.Delete(files.PathOf("t10k-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<FileNotFoundException>(() =>
            DatasetCatalog.Load(new DatasetOptions { Name = "fashion-mnist", Path = files.Folder }));

        Assert.Equal(files.PathOf("t10k-labels-idx1-ubyte.gz"), error.FileName);
        Assert.Contains(files.PathOf("t10k-labels-idx1-ubyte.gz"), error.Message, StringComparison.Ordinal);
        Assert.Contains("dataset-fashion-mnist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingCifarBatchNamesIt()
    {
        using var files = new DataFiles();
        files.Write("data_batch_1.bin", DataFiles.CifarRecords(1));

        var error = Assert.Throws<FileNotFoundException>(() =>
            DatasetCatalog.Load(new DatasetOptions { Name = "cifar10", Path = files.Folder }));

        Assert.Contains(files.PathOf("data_batch_2.bin"), error.Message, StringComparison.Ordinal);
        Assert.Contains(files.PathOf("test_batch.bin"), error.Message, StringComparison.Ordinal);
        Assert.Contains("cifar-10-binary.tar.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsTheRealFashionMnistFromItsStandardPlace()
    {
        var clock = Stopwatch.StartNew();
        using var split = DatasetCatalog.Load(new DatasetOptions { Name = "fashion-mnist" });
        output.WriteLine($"Fashion-MNIST loaded in {clock.ElapsedMilliseconds} ms");

        var (train, test) = (split.Train, split.Test);
        Assert.Equal((60000, 1, 28, 28, 10), (train.Count, train.Channels, train.Height, train.Width, train.ClassCount));
        Assert.Equal((10000, 1, 28, 28), (test.Count, test.Channels, test.Height, test.Width));
        Assert.Equal(Enumerable.Repeat(6000L, 10), train.CountPerClass());
        Assert.Equal(Enumerable.Repeat(1000L, 10), test.CountPerClass());
        // The published constants are this split's statistics, so the stored images have mean 0 and std 1.
        Assert.Equal(0.0, train.Images.mean().item<float>(), 2);
        Assert.Equal(1.0, train.Images.std().item<float>(), 2);
    }
}
