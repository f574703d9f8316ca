using CoS.Distributed.Training.Data;

namespace CoS.Distributed.Training.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsPixelsAndLabelsBackExactly(bool gzip)
    {
        using var files = new DataFiles();
        byte[] Pack(byte[] content) => gzip ? DataFiles.Gzip(content) : content;
        var images = files.Write("images", Pack(DataFiles.IdxImages(5, 4, 3)));
        var labels = files.Write("labels", Pack(DataFiles.IdxLabels([9, 0, 3, 3, 7])));

        var raw = IdxReader.Read(images, labels);

        Assert.Equal((5, 1, 4, 3), (raw.Count, raw.Channels, raw.Height, raw.Width));
        Assert.Equal(DataFiles.Pixels(5, 1, 4, 3), raw.Pixels.ToArray());
        Assert.Equal(new byte[] { 9, 0, 3, 3, 7 }, raw.Labels.ToArray());
    }

    [Fact]
    public void RecognisesGzipByContentNotByName()
    {
        using var files = new DataFiles();
        var gzippedWithoutSuffix = files.Write("train-images-idx3-ubyte", DataFiles.Gzip(DataFiles.IdxImages(2, 2, 2)));
        var rawWithGzSuffix = files.Write("train-labels-idx1-ubyte.gz", DataFiles.IdxLabels([1, 2]));

        var raw = IdxReader.Read(gzippedWithoutSuffix, rawWithGzSuffix);

        Assert.Equal(DataFiles.Pixels(2, 1, 2, 2), raw.Pixels.ToArray());
        Assert.Equal(new byte[] { 1, 2 }, raw.Labels.ToArray());
    }

    [Fact]
    public void TruncatedRawFileNamesThePathAndTheMissingBytes()
    {
        using var files = new DataFiles();
        var full = DataFiles.IdxImages(10, 28, 28);
        var path = files.Write("train-images-idx3-ubyte", full[..(16 + 3 * 784)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 7856 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("10 images of 28×28", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 2368", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedGzipFileNamesThePathAndSaysTruncated()
    {
        using var files = new DataFiles();
        var compressed = DataFiles.Gzip(DataFiles.IdxImages(50, 28, 28));
        var path = files.Write("train-images-idx3-ubyte.gz", compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipHoldingLessThanItsHeaderDescribesIsTruncated()
    {
        using var files = new DataFiles();
        var path = files.Write("labels.gz", DataFiles.Gzip(DataFiles.IdxLabels([1, 2, 3, 4])[..10]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 12 bytes (8-byte header and 4 labels), found 10 after decompression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraBytesAfterTheDataAreReported()
    {
        using var files = new DataFiles();
        var path = files.Write("labels", [.. DataFiles.IdxLabels([1, 2]), 0, 0, 0]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("3 bytes follow the data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMagicIsReportedWithBothNumbers()
    {
        using var files = new DataFiles();
        var path = files.Write("images", DataFiles.IdxImages(2, 2, 2, magic: 0x00000C03));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000C03", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000803", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsFileGivenAsImagesIsCalledSwapped()
    {
        using var files = new DataFiles();
        var path = files.Write("labels-not-images", DataFiles.IdxLabels([1, 2, 3]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("swapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheLabelAndItsPosition()
    {
        using var files = new DataFiles();
        var path = files.Write("labels", DataFiles.IdxLabels([1, 2, 12, 4]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("label 12 at position 2 is outside 0..9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        using var files = new DataFiles();
        var images = files.Write("images", DataFiles.IdxImages(4, 2, 2));
        var labels = files.Write("labels", DataFiles.IdxLabels([1, 2, 3]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(images, labels));

        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains(labels, error.Message, StringComparison.Ordinal);
        Assert.Contains("3 labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroSizedDimensionIsRejected()
    {
        using var files = new DataFiles();
        var path = files.Write("images", DataFiles.IdxImages(0, 28, 28));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("dimension 0 in the header is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        using var files = new DataFiles();
        var path = files.PathOf("train-images-idx3-ubyte.gz");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }
}
