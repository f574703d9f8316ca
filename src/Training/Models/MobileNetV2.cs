using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// MobileNetV2 (Sandler et al., 2018) for 32x32 images, with torchvision's parameter names and shapes, so a
/// state_dict saved from torchvision's mobilenet_v2 (same classes and width multiplier) loads unchanged.
/// </summary>
/// <remarks>
/// CIFAR changes from torchvision, as in kuangliu/pytorch-cifar, none of which changes a parameter:
/// the stem convolution (features.0.0) has stride 1 instead of 2, and the first block of the 24-channel stage
/// (its depthwise convolution, features.2.conv.1.0) has stride 1 instead of 2. A 32x32 image therefore gives feature
/// maps of 32 (features 0-3), 16 (32 channels), 8 (64 and 96 channels) and 4 pixels (160, 320 and 1280 channels).
/// The injected activation stands wherever torchvision uses ReLU6. Initialisation as torchvision: convolutions
/// Kaiming normal (fan out), BatchNorm ones and zeros, the classifier normal(0, 0.01) with zero bias.
/// </remarks>
public sealed class MobileNetV2 : ImageClassifier
{
    /// <summary>Expansion t, output channels c, repeats n and stride s of each bottleneck stage (the paper's Table 2,
    /// with the CIFAR stride).</summary>
    private static readonly (int Expansion, int Channels, int Repeats, int Stride)[] Bottlenecks =
    [
        (1, 16, 1, 1),
        (6, 24, 2, 1),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ];

    private const int StemChannels = 32;
    private const int LastChannels = 1280;
    private const int ChannelMultiple = 8;

    /// <summary>torchvision's dropout before the classifier.</summary>
    public const double DefaultDropout = 0.2;

    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public MobileNetV2(int numClasses, int inputChannels, Func<nn.Module<Tensor, Tensor>> activation,
        double widthMultiplier = 1.0, double dropout = DefaultDropout)
        : base(nameof(MobileNetV2), inputChannels, numClasses, minimumImageSize: 1, requiredImageSize: null)
    {
        if (!(widthMultiplier > 0) || double.IsInfinity(widthMultiplier))
            throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "MobileNetV2's width multiplier must be a positive number (1.0 is the standard network).");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "MobileNetV2's dropout probability must be at least 0 and below 1.");
        var activations = new InjectedActivations(activation, GetName());

        var channels = RoundChannels(StemChannels * widthMultiplier);
        var lastChannels = RoundChannels(LastChannels * Math.Max(1.0, widthMultiplier));
        var features = new List<nn.Module<Tensor, Tensor>> { ConvBatchNormActivation(inputChannels, channels, 3, 1, 1, activations) };
        foreach (var (expansion, stageChannels, repeats, stride) in Bottlenecks)
        {
            var outputChannels = RoundChannels(stageChannels * widthMultiplier);
            for (var i = 0; i < repeats; i++)
            {
                features.Add(new InvertedResidual(channels, outputChannels, i == 0 ? stride : 1, expansion, activations));
                channels = outputChannels;
            }
        }
        features.Add(ConvBatchNormActivation(channels, lastChannels, 1, 1, 1, activations));
        _features = nn.Sequential(features);
        _classifier = nn.Sequential(new SeededDropout(dropout), nn.Linear(lastChannels, numClasses));

        register_module("features", _features);
        register_module("classifier", _classifier);
        InitialiseWeights();
    }

    protected override Tensor Classify(Tensor images)
    {
        var x = _features.forward(images);
        x = nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
        return _classifier.forward(x);
    }

    /// <summary>torchvision's _make_divisible: nearest multiple of 8, never more than 10 % below the exact value.</summary>
    internal static int RoundChannels(double value)
    {
        var rounded = Math.Max(ChannelMultiple, (int)(value + ChannelMultiple / 2.0) / ChannelMultiple * ChannelMultiple);
        return rounded < 0.9 * value ? rounded + ChannelMultiple : rounded;
    }

    /// <summary>torchvision's Conv2dNormActivation: convolution without bias, BatchNorm, activation.</summary>
    private static Sequential ConvBatchNormActivation(int inputChannels, int outputChannels, int kernelSize, int stride,
        int groups, InjectedActivations activations) =>
        nn.Sequential(
            nn.Conv2d(inputChannels, outputChannels, kernel_size: kernelSize, stride: stride, padding: (kernelSize - 1) / 2,
                groups: groups, bias: false),
            nn.BatchNorm2d(outputChannels),
            activations.Create());

    private void InitialiseWeights()
    {
        using var noGrad = torch.no_grad();
        foreach (var module in ModuleTree.DepthFirst(this))
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d batchNorm:
                    nn.init.ones_(batchNorm.weight);
                    nn.init.zeros_(batchNorm.bias);
                    break;
                case Linear linear:
                    nn.init.normal_(linear.weight, 0, 0.01);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
            }
        }
    }

    /// <summary>
    /// The inverted residual bottleneck: 1x1 expansion (skipped when t = 1), 3x3 depthwise convolution, linear 1x1
    /// projection; the input is added back when the block keeps both size and channels.
    /// </summary>
    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _conv;
        private readonly bool _addsInput;

        public InvertedResidual(int inputChannels, int outputChannels, int stride, int expansion, InjectedActivations activations)
            : base(nameof(InvertedResidual))
        {
            var hidden = (int)Math.Round((double)inputChannels * expansion, MidpointRounding.ToEven);
            _addsInput = stride == 1 && inputChannels == outputChannels;
            var layers = new List<nn.Module<Tensor, Tensor>>();
            if (expansion != 1) layers.Add(ConvBatchNormActivation(inputChannels, hidden, 1, 1, 1, activations));
            layers.Add(ConvBatchNormActivation(hidden, hidden, 3, stride, hidden, activations));
            layers.Add(nn.Conv2d(hidden, outputChannels, kernel_size: 1, bias: false));
            layers.Add(nn.BatchNorm2d(outputChannels));
            _conv = nn.Sequential(layers);
            register_module("conv", _conv);
        }

        public override Tensor forward(Tensor input) => _addsInput ? input + _conv.forward(input) : _conv.forward(input);
    }
}
