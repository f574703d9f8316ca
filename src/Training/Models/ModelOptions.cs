using System.Globalization;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// What a model is built for. Each model uses the options that apply to it; setting one that a model does not
/// have (a width multiplier on SqueezeNet, dropout on ShuffleNetV2) is an error rather than silently ignored.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Number of classes, the width of the output.</summary>
    public int NumClasses { get; init; } = 10;

    /// <summary>Channels of the input images: 3 for CIFAR, 1 for (Fashion-)MNIST. torchvision's weights need 3.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Height and width of the input images. mlp and small_cnn are built for exactly this size; the
    /// convolutional networks accept any size from their minimum up.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>mobilenet_v2 only: channel width multiplier (1.0 is the standard network).</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>mlp only: number of hidden layers.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>mlp only: units per hidden layer.</summary>
    public int Width { get; init; } = 256;

    /// <summary>mlp only: BatchNorm after each hidden Linear layer.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>mobilenet_v2 and squeezenet only: dropout probability before the classifier; null keeps torchvision's
    /// (0.2 for MobileNetV2, 0.5 for SqueezeNet).</summary>
    public double? Dropout { get; init; }

    /// <summary>Problems with values that no model accepts, one line each; empty when the options are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (NumClasses < 1) problems.Add($"NumClasses is {NumClasses}; it must be at least 1.");
        if (InputChannels < 1) problems.Add($"InputChannels is {InputChannels}; it must be at least 1 (3 for RGB, 1 for greyscale).");
        if (ImageSize < 1) problems.Add($"ImageSize is {ImageSize}; it must be at least 1 pixel.");
        if (!(WidthMultiplier > 0) || double.IsInfinity(WidthMultiplier)) problems.Add(string.Create(CultureInfo.InvariantCulture, $"WidthMultiplier is {WidthMultiplier}; it must be a positive number (1.0 is the standard network)."));
        if (Depth < 0) problems.Add($"Depth is {Depth}; it must be 0 or more hidden layers.");
        if (Width < 1) problems.Add($"Width is {Width}; each hidden layer needs at least 1 unit.");
        if (Dropout is double p && !(p >= 0 && p < 1)) problems.Add(string.Create(CultureInfo.InvariantCulture, $"Dropout is {p}; it must be at least 0 and below 1, or unset for the model's default."));
        return problems;
    }
}
