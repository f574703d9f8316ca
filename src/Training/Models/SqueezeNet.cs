using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>The two SqueezeNet variants torchvision defines.</summary>
public enum SqueezeNetVersion
{
    /// <summary>The paper's network: 7x7 stem with 96 channels, pools after fire4 and fire8.</summary>
    V1_0,

    /// <summary>SqueezeNet 1.1: 3x3 stem with 64 channels and earlier pools, about 2.4x less computation.</summary>
    V1_1,
}

/// <summary>
/// SqueezeNet (Iandola et al., 2016) for 32x32 images, with torchvision's parameter names and shapes, so a state_dict
/// saved from torchvision's squeezenet1_0 or squeezenet1_1 (same number of classes) loads unchanged.
/// </summary>
/// <remarks>
/// CIFAR changes from torchvision, none of which changes a parameter: the stem convolution (features.0) keeps its
/// kernel and padding 0 but has stride 1 instead of 2, and the max-pool right after it (features.2) is an identity,
/// so the indices of the later layers stay torchvision's. The other two max-pools (3x3, stride 2, ceil mode) stay:
/// SqueezeNet 1.0 at features.6 and features.11 gives 26, 13 and 6 pixel feature maps for a 32x32 image,
/// SqueezeNet 1.1 at features.5 and features.8 gives 30, 15 and 7. Keeping them leaves the final 1x1 convolution
/// a spatial map like the paper's (13x13 at 224x224) at a cost similar to the other two CIFAR networks.
/// The classifier is torchvision's: dropout, 1x1 convolution to the classes, activation, global average pool.
/// The injected activation stands wherever torchvision uses ReLU. Initialisation as torchvision: Kaiming uniform
/// for every convolution but the final one, which is normal(0, 0.01); all biases zero.
/// </remarks>
public sealed class SqueezeNet : ImageClassifier
{
    /// <summary>torchvision's dropout before the final convolution.</summary>
    public const double DefaultDropout = 0.5;

    private const int FeatureChannels = 512;

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public SqueezeNet(SqueezeNetVersion version, int numClasses, int inputChannels, Func<nn.Module<Tensor, Tensor>> activation,
        double dropout = DefaultDropout)
        : base(version == SqueezeNetVersion.V1_0 ? "SqueezeNet 1.0" : "SqueezeNet 1.1", inputChannels, numClasses,
            minimumImageSize: version == SqueezeNetVersion.V1_0 ? 10 : 6, requiredImageSize: null)
    {
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "SqueezeNet's dropout probability must be at least 0 and below 1.");
        var a = new InjectedActivations(activation, GetName());

        _features = version switch
        {
            SqueezeNetVersion.V1_0 => nn.Sequential(
                nn.Conv2d(inputChannels, 96, kernel_size: 7, stride: 1),
                a.Create(),
                nn.Identity(),
                new Fire(96, 16, 64, 64, a),
                new Fire(128, 16, 64, 64, a),
                new Fire(128, 32, 128, 128, a),
                Pool(),
                new Fire(256, 32, 128, 128, a),
                new Fire(256, 48, 192, 192, a),
                new Fire(384, 48, 192, 192, a),
                new Fire(384, 64, 256, 256, a),
                Pool(),
                new Fire(512, 64, 256, 256, a)),
            SqueezeNetVersion.V1_1 => nn.Sequential(
                nn.Conv2d(inputChannels, 64, kernel_size: 3, stride: 1),
                a.Create(),
                nn.Identity(),
                new Fire(64, 16, 64, 64, a),
                new Fire(128, 16, 64, 64, a),
                Pool(),
                new Fire(128, 32, 128, 128, a),
                new Fire(256, 32, 128, 128, a),
                Pool(),
                new Fire(256, 48, 192, 192, a),
                new Fire(384, 48, 192, 192, a),
                new Fire(384, 64, 256, 256, a),
                new Fire(512, 64, 256, 256, a)),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Use SqueezeNetVersion.V1_0 or V1_1."),
        };
        var finalConv = nn.Conv2d(FeatureChannels, numClasses, kernel_size: 1);
        _classifier = nn.Sequential(new SeededDropout(dropout), finalConv, a.Create(), nn.AdaptiveAvgPool2d(1));

        register_module("features", _features);
        register_module("classifier", _classifier);
        InitialiseWeights(finalConv);
    }

    protected override Tensor Classify(Tensor images) =>
        _classifier.forward(_features.forward(images)).flatten(1);

    private static MaxPool2d Pool() => nn.MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);

    private void InitialiseWeights(Conv2d finalConv)
    {
        using var noGrad = torch.no_grad();
        foreach (var conv in ModuleTree.DepthFirst(this).OfType<Conv2d>())
        {
            if (ReferenceEquals(conv, finalConv)) nn.init.normal_(conv.weight, 0, 0.01);
            else nn.init.kaiming_uniform_(conv.weight);
            if (conv.bias is not null) nn.init.zeros_(conv.bias);
        }
    }

    /// <summary>
    /// The fire module: a 1x1 squeeze convolution feeding parallel 1x1 and 3x3 expand convolutions whose outputs
    /// are concatenated.
    /// </summary>
    private sealed class Fire : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _squeeze;
        private readonly nn.Module<Tensor, Tensor> _squeezeActivation;
        private readonly Conv2d _expand1x1;
        private readonly nn.Module<Tensor, Tensor> _expand1x1Activation;
        private readonly Conv2d _expand3x3;
        private readonly nn.Module<Tensor, Tensor> _expand3x3Activation;

        public Fire(int inputChannels, int squeezeChannels, int expand1x1Channels, int expand3x3Channels, InjectedActivations activations)
            : base(nameof(Fire))
        {
            _squeeze = nn.Conv2d(inputChannels, squeezeChannels, kernel_size: 1);
            _squeezeActivation = activations.Create();
            _expand1x1 = nn.Conv2d(squeezeChannels, expand1x1Channels, kernel_size: 1);
            _expand1x1Activation = activations.Create();
            _expand3x3 = nn.Conv2d(squeezeChannels, expand3x3Channels, kernel_size: 3, padding: 1);
            _expand3x3Activation = activations.Create();

            register_module("squeeze", _squeeze);
            register_module("squeeze_activation", _squeezeActivation);
            register_module("expand1x1", _expand1x1);
            register_module("expand1x1_activation", _expand1x1Activation);
            register_module("expand3x3", _expand3x3);
            register_module("expand3x3_activation", _expand3x3Activation);
        }

        public override Tensor forward(Tensor input)
        {
            var squeezed = _squeezeActivation.forward(_squeeze.forward(input));
            return torch.cat([
                _expand1x1Activation.forward(_expand1x1.forward(squeezed)),
                _expand3x3Activation.forward(_expand3x3.forward(squeezed))], 1);
        }
    }
}
