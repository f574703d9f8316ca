namespace CoS.Distributed.Training.Data;

/// <summary>
/// Images and labels as read from disk, before normalisation: pixels are bytes laid out [Count, Channels, Height,
/// Width] (planar, the layout tensors use), labels one byte per image.
/// </summary>
public sealed class RawImages
{
    public RawImages(byte[] pixels, byte[] labels, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new ArgumentException(
                $"{pixels.LongLength} pixel bytes do not make {labels.Length} images of {channels}×{height}×{width}", nameof(pixels));
        PixelArray = pixels;
        LabelArray = labels;
        Channels = channels;
        Height = height;
        Width = width;
    }

    public ReadOnlyMemory<byte> Pixels => PixelArray;
    public ReadOnlyMemory<byte> Labels => LabelArray;
    public int Count => LabelArray.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    internal byte[] PixelArray { get; }
    internal byte[] LabelArray { get; }
}
