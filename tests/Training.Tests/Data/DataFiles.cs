using System.Buffers.Binary;
using System.IO.Compression;

namespace CoS.Distributed.Training.Tests.Data;

/// <summary>A temporary folder in which tests write small data set files in the published formats.</summary>
internal sealed class DataFiles : IDisposable
{
    public DataFiles()
    {
        Folder = Directory.CreateTempSubdirectory("cos-data-tests-").FullName;
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Pixel value of image n, row i, column j, channel c: distinct enough to catch any mix-up of axes.</summary>
    public static byte Pixel(int n, int c, int i, int j) => (byte)((n * 31 + c * 101 + i * 7 + j * 3) % 256);

    public static byte[] Pixels(int count, int channels, int height, int width)
    {
        var pixels = new byte[count * channels * height * width];
        var k = 0;
        for (var n = 0; n < count; n++)
            for (var c = 0; c < channels; c++)
                for (var i = 0; i < height; i++)
                    for (var j = 0; j < width; j++)
                        pixels[k++] = Pixel(n, c, i, j);
        return pixels;
    }

    public static byte[] Labels(int count, int classes = 10) =>
        Enumerable.Range(0, count).Select(n => (byte)((n * 7 + 3) % classes)).ToArray();

    public static byte[] IdxImages(int count, int height, int width, byte[]? pixels = null, int magic = 0x00000803)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), height);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), width);
        return [.. header, .. pixels ?? Pixels(count, 1, height, width)];
    }

    public static byte[] IdxLabels(byte[] labels, int magic = 0x00000801)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        return [.. header, .. labels];
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            gzip.Write(content);
        return buffer.ToArray();
    }

    /// <summary>CIFAR-10 binary records: a label byte, then the R, G and B planes.</summary>
    public static byte[] CifarRecords(int count, int firstImage = 0, byte[]? labels = null)
    {
        labels ??= Labels(count + firstImage).Skip(firstImage).ToArray();
        var pixels = Pixels(count + firstImage, 3, 32, 32).AsSpan(firstImage * 3072);
        var records = new byte[count * 3073];
        for (var n = 0; n < count; n++)
        {
            records[n * 3073] = labels[n];
            pixels.Slice(n * 3072, 3072).CopyTo(records.AsSpan(n * 3073 + 1));
        }
        return records;
    }

    public string Write(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A complete MNIST-style folder: train and t10k images and labels.</summary>
    public void WriteIdxSet(int trainCount, int testCount, int height, int width, bool gzip)
    {
        var suffix = gzip ? ".gz" : "";
        byte[] Pack(byte[] content) => gzip ? Gzip(content) : content;
        Write("train-images-idx3-ubyte" + suffix, Pack(IdxImages(trainCount, height, width)));
        Write("train-labels-idx1-ubyte" + suffix, Pack(IdxLabels(Labels(trainCount))));
        Write("t10k-images-idx3-ubyte" + suffix, Pack(IdxImages(testCount, height, width)));
        Write("t10k-labels-idx1-ubyte" + suffix, Pack(IdxLabels(Labels(testCount))));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
