using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// A small convolutional network for quick runs on 28x28 greyscale images (Fashion-MNIST, MNIST):
/// conv 3x3 (32) - activation - max-pool 2 - conv 3x3 (64) - activation - max-pool 2 - Linear 128 - activation -
/// Linear to the classes. Convolutions are unpadded, so a 28x28 image gives 26, 13, 11 and 5 pixel maps and the
/// network has 225,034 parameters for 10 classes. PyTorch's default initialisation.
/// </summary>
public sealed class SmallCnn : ImageClassifier
{
    private const int FirstChannels = 32;
    private const int SecondChannels = 64;
    private const int HiddenUnits = 128;

    /// <summary>Smallest image that leaves at least one pixel after the second pool.</summary>
    public const int SmallestImageSize = 10;

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public SmallCnn(int numClasses, int inputChannels, int imageSize, Func<nn.Module<Tensor, Tensor>> activation)
        : base(nameof(SmallCnn), inputChannels, numClasses, minimumImageSize: SmallestImageSize, requiredImageSize: imageSize)
    {
        if (imageSize < SmallestImageSize)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"SmallCnn needs images of at least {SmallestImageSize}x{SmallestImageSize} pixels.");
        var activations = new InjectedActivations(activation, GetName());

        _features = nn.Sequential(
            nn.Conv2d(inputChannels, FirstChannels, kernel_size: 3),
            activations.Create(),
            nn.MaxPool2d(kernel_size: 2),
            nn.Conv2d(FirstChannels, SecondChannels, kernel_size: 3),
            activations.Create(),
            nn.MaxPool2d(kernel_size: 2));
        var featureSize = ((imageSize - 2) / 2 - 2) / 2;
        _classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(SecondChannels * featureSize * featureSize, HiddenUnits),
            activations.Create(),
            nn.Linear(HiddenUnits, numClasses));

        register_module("features", _features);
        register_module("classifier", _classifier);
    }

    protected override Tensor Classify(Tensor images) => _classifier.forward(_features.forward(images));
}
