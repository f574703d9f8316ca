using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Data;

/// <summary>
/// A whole split held as two tensors: normalised float32 images [N, C, H, W] and int64 labels [N]. It owns them and
/// frees them on Dispose; they belong to no dispose scope, so a scope around loading does not free them.
/// </summary>
public sealed class InMemoryDataset : IDisposable
{
    /// <summary>Takes ownership of <paramref name="images"/> and <paramref name="labels"/>.</summary>
    public InMemoryDataset(string name, Tensor images, Tensor labels, int classCount, Normalisation normalisation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(normalisation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (images.dtype != ScalarType.Float32 || images.dim() != 4)
            throw new ArgumentException($"{name}: images must be float32 [N, C, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException(
                $"{name}: labels must be int64 [{images.shape[0]}], one per image; got {labels.dtype} [{string.Join(", ", labels.shape)}]", nameof(labels));
        if (normalisation.Channels != images.shape[1])
            throw new ArgumentException(
                $"{name}: the normalisation has {normalisation.Channels} channels but the images have {images.shape[1]}", nameof(normalisation));

        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassCount = classCount;
        Normalisation = normalisation;
        Count = checked((int)images.shape[0]);
        Channels = (int)images.shape[1];
        Height = (int)images.shape[2];
        Width = (int)images.shape[3];
    }

    /// <summary>
    /// Normalises raw pixels into a data set; <paramref name="select"/>, when given, keeps only those indices (in
    /// that order). The byte-to-float conversion runs on the torch side in one pass.
    /// </summary>
    public static InMemoryDataset FromRaw(
        string name, RawImages raw, int classCount, Normalisation normalisation, IReadOnlyList<long>? select = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(normalisation);
        using var scope = NewDisposeScope();
        var pixels = tensor(raw.PixelArray, [raw.Count, raw.Channels, raw.Height, raw.Width], ScalarType.Byte);
        var labels = tensor(raw.LabelArray, [raw.Count], ScalarType.Byte);
        if (select is not null)
        {
            var index = tensor(select.ToArray(), ScalarType.Int64);
            pixels = pixels.index_select(0, index);
            labels = labels.index_select(0, index);
        }
        var images = normalisation.Apply(pixels);
        var labels64 = labels.to_type(ScalarType.Int64);
        var dataset = new InMemoryDataset(name, images, labels64, classCount, normalisation);
        return dataset;
    }

    public string Name { get; }

    /// <summary>float32 [N, C, H, W], normalised per channel.</summary>
    public Tensor Images { get; }

    /// <summary>int64 [N], class indices 0..ClassCount−1.</summary>
    public Tensor Labels { get; }

    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int ClassCount { get; }
    public Normalisation Normalisation { get; }

    /// <summary>How many examples each class has, indexed by class.</summary>
    public long[] CountPerClass()
    {
        using var counts = Labels.bincount(null, ClassCount);
        return counts.data<long>().ToArray();
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
