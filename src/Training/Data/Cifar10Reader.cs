namespace CoS.Distributed.Training.Data;

/// <summary>
/// Reads the binary version of CIFAR-10 (cifar-10-binary.tar.gz): each record is one label byte followed by 3072
/// pixel bytes, the red, green and blue 32×32 planes in turn, which is already the [C, H, W] layout of a tensor.
/// </summary>
public static class Cifar10Reader
{
    public const int Channels = 3;
    public const int Side = 32;
    public const int ImageBytes = Channels * Side * Side;
    public const int RecordBytes = 1 + ImageBytes;
    public const int ClassCount = 10;
    public const string TestFileName = "test_batch.bin";

    public static IReadOnlyList<string> TrainFileNames { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    public static RawImages ReadTrain(string folder) => Read(TrainFileNames.Select(name => Path.Combine(folder, name)).ToList());

    public static RawImages ReadTest(string folder) => Read([Path.Combine(folder, TestFileName)]);

    /// <summary>Reads the given batch files, in order, into one set of images; any whole number of records is accepted.</summary>
    public static RawImages Read(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("No CIFAR-10 batch files given", nameof(paths));

        var records = paths.Select(CountRecords).ToArray();
        var total = records.Sum(r => (long)r);
        if (total * ImageBytes > Array.MaxLength)
            throw new ArgumentException($"{total} CIFAR-10 records are more than one array can hold", nameof(paths));

        var pixels = GC.AllocateUninitializedArray<byte>((int)(total * ImageBytes));
        var labels = new byte[total];
        var first = 0;
        for (var f = 0; f < paths.Count; f++)
        {
            ReadRecords(paths[f], records[f], pixels.AsSpan(first * ImageBytes), labels.AsSpan(first));
            first += records[f];
        }
        return new RawImages(pixels, labels, Channels, Side, Side);
    }

    private static int CountRecords(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"{path}: file not found; check the path, or download the file again", path);
        if (info.Length == 0)
            throw DataFileProblem.In(path, "the file is empty; download it again");
        if (info.Length % RecordBytes != 0)
            throw DataFileProblem.In(path,
                $"{info.Length} bytes is not a whole number of {RecordBytes}-byte records (1 label byte + {ImageBytes} pixel bytes): "
                + $"{info.Length / RecordBytes} records and {info.Length % RecordBytes} bytes left over. The file is truncated, or it is "
                + "not from the binary version of CIFAR-10 (cifar-10-binary.tar.gz) — download it again");
        if (info.Length / RecordBytes > int.MaxValue)
            throw DataFileProblem.In(path, $"{info.Length} bytes is far more than a CIFAR-10 batch file holds; it is not one");
        return (int)(info.Length / RecordBytes);
    }

    private static void ReadRecords(string path, int count, Span<byte> pixels, Span<byte> labels)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != (long)count * RecordBytes)
            throw DataFileProblem.In(path,
                $"the file changed while it was read ({(long)count * RecordBytes} bytes before, {bytes.Length} now); read it again");
        for (var r = 0; r < count; r++)
        {
            var record = bytes.AsSpan(r * RecordBytes, RecordBytes);
            if (record[0] >= ClassCount)
                throw DataFileProblem.In(path,
                    $"record {r} has label {record[0]}, outside 0..{ClassCount - 1}; the file is corrupt, or it is not a CIFAR-10 "
                    + "batch (CIFAR-100 records carry two label bytes) — download it again");
            labels[r] = record[0];
            record[1..].CopyTo(pixels.Slice(r * ImageBytes, ImageBytes));
        }
    }
}
