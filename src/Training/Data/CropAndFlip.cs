using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Data;

/// <summary>
/// The standard CIFAR augmentation, random crop after zero padding and then a random horizontal flip, done for a
/// whole batch at once: pad once, then one gather with per-sample index tensors. "Zero" is a black pixel before
/// normalisation, as in torchvision, so the padding holds (0 − mean) / std per channel.
/// </summary>
public static class CropAndFlip
{
    public const int StandardPadding = 4;

    /// <summary>
    /// Crops and flips every image at random; offsets and flips come from <paramref name="generator"/> only.
    /// </summary>
    /// <param name="images">float [B, C, H, W], normalised.</param>
    /// <param name="padValues">[C]: the normalised value of a black pixel per channel.</param>
    public static Tensor Random(Tensor images, Tensor padValues, Generator generator, int padding = StandardPadding)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var batch = images.shape[0];
        var offsets = randint(0, 2 * padding + 1, [batch, 2], ScalarType.Int64, generator: generator);
        var flips = randint(0, 2, [batch], ScalarType.Int64, generator: generator);
        return Apply(images, offsets.select(1, 0), offsets.select(1, 1), flips, padValues, padding).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Output pixel (i, j) of image b is padded pixel (top[b] + i, left[b] + j), with j mirrored to W−1−j where
    /// flip[b] is non-zero. top and left are offsets into the padded image, 0..2·padding; padding means no shift.
    /// </summary>
    public static Tensor Apply(Tensor images, Tensor top, Tensor left, Tensor flip, Tensor padValues, int padding = StandardPadding)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(flip);
        ArgumentNullException.ThrowIfNull(padValues);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (images.dim() != 4)
            throw new ArgumentException($"Expected images [B, C, H, W]; got [{string.Join(", ", images.shape)}]", nameof(images));
        var (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        if (padValues.numel() != c)
            throw new ArgumentException($"Expected one pad value per channel ({c}); got {padValues.numel()}", nameof(padValues));
        var (paddedH, paddedW) = (h + 2 * padding, w + 2 * padding);

        using var scope = NewDisposeScope();
        var padded = empty([b, c, paddedH, paddedW], images.dtype, images.device);
        padded.copy_(padValues.to(images.dtype, images.device).view(1, c, 1, 1).expand(b, c, paddedH, paddedW));
        padded.narrow(2, padding, h).narrow(3, padding, w).copy_(images);

        var device = images.device;
        var rows = top.to(ScalarType.Int64, device).view(b, 1) + arange(h, ScalarType.Int64, device).view(1, h);
        var columns = arange(w, ScalarType.Int64, device);
        var mirrored = arange(w - 1, -1, -1, ScalarType.Int64, device);
        var flipped = flip.to(ScalarType.Bool, device).view(b, 1);
        var cols = left.to(ScalarType.Int64, device).view(b, 1) + where(flipped, mirrored.view(1, w), columns.view(1, w));
        var source = (rows.view(b, h, 1) * paddedW + cols.view(b, 1, w)).view(b, 1, h * w).expand(b, c, h * w);
        var cropped = padded.view(b, c, paddedH * paddedW).gather(2, source).view(b, c, h, w);
        return cropped.MoveToOuterDisposeScope();
    }
}
