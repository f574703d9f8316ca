using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// The fully connected network of the paper's depth experiment (Figure 15, MNIST): the image is flattened, passes
/// through <c>depth</c> hidden layers of <c>width</c> units, each a Linear layer (optionally followed by BatchNorm)
/// and the activation, and a final Linear layer gives the class logits. PyTorch's default initialisation.
/// </summary>
public sealed class FullyConnectedNetwork : ImageClassifier
{
    private readonly Sequential _hidden;
    private readonly Linear _output;

    /// <summary>Number of hidden layers (0 makes a linear classifier).</summary>
    public int Depth { get; }

    /// <summary>Units in each hidden layer.</summary>
    public int Width { get; }

    public FullyConnectedNetwork(int depth, int width, int numClasses, int inputChannels, int imageSize,
        Func<nn.Module<Tensor, Tensor>> activation, bool batchNorm = false)
        : base(nameof(FullyConnectedNetwork), inputChannels, numClasses, minimumImageSize: 1, requiredImageSize: imageSize)
    {
        if (depth < 0) throw new ArgumentOutOfRangeException(nameof(depth), depth, "The network's depth (number of hidden layers) cannot be negative.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Each hidden layer needs at least one unit.");
        if (imageSize < 1) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "The image size must be at least 1 pixel.");
        Depth = depth;
        Width = width;
        var activations = new InjectedActivations(activation, GetName());

        var layers = new List<nn.Module<Tensor, Tensor>>();
        long inputs = (long)inputChannels * imageSize * imageSize;
        for (var i = 0; i < depth; i++)
        {
            layers.Add(batchNorm
                ? nn.Sequential(nn.Linear(inputs, width), nn.BatchNorm1d(width), activations.Create())
                : nn.Sequential(nn.Linear(inputs, width), activations.Create()));
            inputs = width;
        }
        _hidden = nn.Sequential(layers);
        _output = nn.Linear(inputs, numClasses);

        register_module("hidden", _hidden);
        register_module("output", _output);
    }

    protected override Tensor Classify(Tensor images) => _output.forward(_hidden.forward(images.flatten(1)));
}
