using System.Buffers.Binary;
using System.IO.Compression;

namespace CoS.Distributed.Training.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (big-endian header, then unsigned bytes), gzip-compressed or raw;
/// compression is recognised by the gzip magic bytes, not by the file name.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;
    public const int ClassCount = 10;

    /// <summary>Reads an images file and its labels file and checks that they belong together.</summary>
    public static RawImages Read(string imagesPath, string labelsPath)
    {
        var (pixels, count, height, width) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw DataFileProblem.In(labelsPath,
                $"holds {labels.Length} labels but {imagesPath} holds {count} images; the two files do not belong "
                + "together — use the images and labels files of the same split and release");
        return new RawImages(pixels, labels, 1, height, width);
    }

    public static (byte[] Pixels, int Count, int Height, int Width) ReadImages(string imagesPath)
    {
        var (dims, data) = ReadIdx(imagesPath, ImagesMagic, "images", d => $"{d[0]} images of {d[1]}×{d[2]}");
        return (data, dims[0], dims[1], dims[2]);
    }

    /// <summary>Reads a labels file; every label must be a class index 0..9.</summary>
    public static byte[] ReadLabels(string labelsPath)
    {
        var (_, labels) = ReadIdx(labelsPath, LabelsMagic, "labels", d => $"{d[0]} labels");
        var bad = labels.AsSpan().IndexOfAnyInRange((byte)ClassCount, byte.MaxValue);
        if (bad >= 0)
            throw DataFileProblem.In(labelsPath,
                $"label {labels[bad]} at position {bad} is outside 0..{ClassCount - 1}; the file is corrupt — download it again");
        return labels;
    }

    private static (int[] Dims, byte[] Data) ReadIdx(string path, int magic, string kind, Func<int[], string> describe)
    {
        using var file = Open(path);
        var gzip = StartsWithGzipMagic(file);
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;

        var rank = magic & 0xFF;
        var headerLength = 4 * (1 + rank);
        var header = new byte[headerLength];
        var headerRead = Fill(stream, header, path);
        if (headerRead >= 4)
            CheckMagic(path, BinaryPrimitives.ReadInt32BigEndian(header), magic, kind);
        if (headerRead < headerLength)
            throw DataFileProblem.In(path,
                $"holds {headerRead} bytes{(gzip ? " after decompression" : "")}, less than the {headerLength}-byte IDX "
                + $"{kind} header; the file is truncated — download it again");

        var dims = new int[rank];
        var payload = 1L;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * (i + 1)));
            if (dims[i] <= 0)
                throw DataFileProblem.In(path,
                    $"dimension {i} in the header is {dims[i]}; an IDX {kind} file needs positive sizes — the file is corrupt, download it again");
            payload *= dims[i];
        }
        if (payload > Array.MaxLength)
            throw DataFileProblem.In(path,
                $"the header describes {describe(dims)}, {payload} bytes, more than one array can hold; the header is corrupt");

        var expected = headerLength + payload;
        if (!gzip && file.Length != expected)
            throw LengthProblem(path, headerLength, expected, file.Length, describe(dims), gzip);
        var data = GC.AllocateUninitializedArray<byte>((int)payload);
        var read = Fill(stream, data, path);
        if (read < data.Length)
            throw LengthProblem(path, headerLength, expected, headerLength + read, describe(dims), gzip);
        if (gzip)
        {
            var extra = CountRemaining(stream, path);
            if (extra > 0) throw LengthProblem(path, headerLength, expected, expected + extra, describe(dims), gzip);
        }
        return (dims, data);
    }

    // Reads until the buffer is full or the data ends; a damaged gzip stream becomes an error naming the file.
    private static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw DataFileProblem.In(path, $"the gzip data is corrupt or truncated ({e.Message}); download the file again", e);
        }
    }

    private static long CountRemaining(Stream stream, string path)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = Fill(stream, buffer, path)) > 0) total += read;
        return total;
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: file not found; check the path, or download the file again", path, e);
        }
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static void CheckMagic(string path, int found, int expected, string kind)
    {
        if (found == expected) return;
        var other = expected == ImagesMagic ? LabelsMagic : ImagesMagic;
        var problem = found == other
            ? $"starts with 0x{found:X8}, the magic number of an IDX {(other == ImagesMagic ? "images" : "labels")} file, "
              + $"where an IDX {kind} file (0x{expected:X8}) belongs; the images and labels files may be swapped"
            : $"starts with 0x{found:X8}, not the IDX {kind} magic number 0x{expected:X8}; this is not an MNIST-style "
              + $"{kind} file (or it is compressed with something other than gzip) — download it again";
        throw DataFileProblem.In(path, problem);
    }

    private static InvalidDataException LengthProblem(
        string path, int headerLength, long expected, long found, string content, bool gzip)
    {
        var measured = gzip ? " after decompression" : "";
        var verdict = found < expected
            ? "the file is truncated — download it again"
            : $"{found - expected} bytes follow the data the header describes — the file is corrupt or not an IDX file; download it again";
        return DataFileProblem.In(path,
            $"expected {expected} bytes ({headerLength}-byte header and {content}), found {found}{measured}; {verdict}");
    }
}
