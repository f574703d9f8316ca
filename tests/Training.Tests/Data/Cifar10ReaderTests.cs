using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Training.Tests.Data;

public class Cifar10ReaderTests
{
    [Fact]
    public void ReadsRecordsAcrossFilesAsChannelPlanesInOrder()
    {
        using var files = new DataFiles();
        var first = files.Write("a.bin", DataFiles.CifarRecords(3));
        var second = files.Write("b.bin", DataFiles.CifarRecords(2, firstImage: 3));

        var raw = Cifar10Reader.Read([first, second]);

        Assert.Equal((5, 3, 32, 32), (raw.Count, raw.Channels, raw.Height, raw.Width));
        Assert.Equal(DataFiles.Labels(5), raw.Labels.ToArray());
        Assert.Equal(DataFiles.Pixels(5, 3, 32, 32), raw.Pixels.ToArray());
        // Image 4, green plane, row 5, column 6 in [N, C, H, W] order.
        Assert.Equal(DataFiles.Pixel(4, 1, 5, 6), raw.Pixels.Span[(((4 * 3) + 1) * 32 + 5) * 32 + 6]);
    }

    [Fact]
    public void ReadsTheStandardFileNamesOfAFolder()
    {
        using var files = new DataFiles();
        foreach (var (name, n) in Cifar10Reader.TrainFileNames.Select((name, n) => (name, n)))
            files.Write(name, DataFiles.CifarRecords(2, firstImage: 2 * n));
        files.Write(Cifar10Reader.TestFileName, DataFiles.CifarRecords(4));

        var train = Cifar10Reader.ReadTrain(files.Folder);
        var test = Cifar10Reader.ReadTest(files.Folder);

        Assert.Equal(10, train.Count);
        Assert.Equal(DataFiles.Pixels(10, 3, 32, 32), train.Pixels.ToArray());
        Assert.Equal(4, test.Count);
    }

    [Fact]
    public void PartialRecordNamesTheFileAndTheLeftoverBytes()
    {
        using var files = new DataFiles();
        var path = files.Write("data_batch_1.bin", DataFiles.CifarRecords(3)[..(2 * 3073 + 100)]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10Reader.Read([path]));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a whole number of 3073-byte records", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 records and 100 bytes left over", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        using var files = new DataFiles();
        var path = files.Write("test_batch.bin", []);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10Reader.Read([path]));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheRecord()
    {
        using var files = new DataFiles();
        var path = files.Write("data_batch_2.bin", DataFiles.CifarRecords(3, labels: [0, 9, 10]));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10Reader.Read([path]));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("record 2 has label 10, outside 0..9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        using var files = new DataFiles();
        files.Write("data_batch_1.bin", DataFiles.CifarRecords(1));

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10Reader.ReadTrain(files.Folder));

        Assert.Equal(files.PathOf("data_batch_2.bin"), error.FileName);
        Assert.Contains(files.PathOf("data_batch_2.bin"), error.Message, StringComparison.Ordinal);
    }
}
