using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Data;

/// <summary>
/// Per-channel normalisation as torchvision's ToTensor + Normalize apply it: pixel / 255, then (x − mean) / std.
/// The data sets use the published constants of their full training splits (what users compare against), not
/// statistics of whatever subset is loaded, so a quick subset run sees the same inputs as a full run.
/// </summary>
public sealed class Normalisation
{
    public Normalisation(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"Normalisation needs one mean and one std per channel; got {mean.Count} means and {std.Count} stds");
        if (std.Any(s => !(s > 0) || float.IsInfinity(s)))
            throw new ArgumentException($"Every std must be a positive number; got {string.Join(", ", std)}", nameof(std));
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>CIFAR-10 training split, per channel R, G, B.</summary>
    public static Normalisation Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    public static Normalisation FashionMnist { get; } = new([0.2860f], [0.3530f]);

    public static Normalisation Mnist { get; } = new([0.1307f], [0.3081f]);

    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }
    public int Channels => Mean.Count;

    /// <summary>Byte pixels [N, C, H, W] → normalised float32 [N, C, H, W]; the input is left untouched.</summary>
    public Tensor Apply(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dim() != 4 || pixels.shape[1] != Channels)
            throw new ArgumentException(
                $"Expected pixels shaped [N, {Channels}, H, W]; got [{string.Join(", ", pixels.shape)}]", nameof(pixels));
        using var scope = NewDisposeScope();
        var shape = new long[] { 1, Channels, 1, 1 };
        var mean = tensor(Mean.ToArray()).view(shape);
        var std = tensor(Std.ToArray()).view(shape);
        var images = pixels.to_type(ScalarType.Float32, copy: true);
        images.div_(255).sub_(mean).div_(std);
        return images.MoveToOuterDisposeScope();
    }

    /// <summary>What a black pixel (raw 0) becomes per channel, shaped [C]: the value of zero padding in normalised space.</summary>
    public Tensor BlackPixel()
    {
        using var scope = NewDisposeScope();
        using var zero = zeros(1, Channels, 1, 1, ScalarType.Byte);
        return Apply(zero).view(Channels).MoveToOuterDisposeScope();
    }
}
