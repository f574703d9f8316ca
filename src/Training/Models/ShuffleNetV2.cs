using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// ShuffleNet V2 (Ma et al., 2018) for 32x32 images, with torchvision's parameter names and shapes, so a state_dict
/// saved from torchvision's shufflenet_v2_x* (same number of classes) loads unchanged.
/// </summary>
/// <remarks>
/// CIFAR changes from torchvision, none of which changes a parameter: conv1 has stride 1 instead of 2, and the
/// max-pool after conv1 is removed. Stages 2-4 keep their stride 2, so a 32x32 image gives 32, 16, 8 and 4 pixel
/// feature maps. The injected activation stands wherever torchvision uses ReLU (conv1, both branches, conv5).
/// Initialisation is PyTorch's default for every layer, as in torchvision.
/// </remarks>
public sealed class ShuffleNetV2 : ImageClassifier
{
    /// <summary>Output channels of conv1, stage2, stage3, stage4 and conv5 for each width (torchvision's table).</summary>
    private static readonly Dictionary<double, int[]> StageOutChannels = new()
    {
        [0.5] = [24, 48, 96, 192, 1024],
        [1.0] = [24, 116, 232, 464, 1024],
        [1.5] = [24, 176, 352, 704, 1024],
        [2.0] = [24, 244, 488, 976, 2048],
    };

    private static readonly int[] StageRepeats = [4, 8, 4];

    /// <summary>The widths torchvision defines: x0.5, x1.0, x1.5 and x2.0.</summary>
    public static IReadOnlyList<double> Widths { get; } = [.. StageOutChannels.Keys];

    private readonly Sequential _conv1;
    private readonly Sequential _stage2;
    private readonly Sequential _stage3;
    private readonly Sequential _stage4;
    private readonly Sequential _conv5;
    private readonly Linear _fc;

    public ShuffleNetV2(double width, int numClasses, int inputChannels, Func<nn.Module<Tensor, Tensor>> activation)
        : base(string.Create(CultureInfo.InvariantCulture, $"ShuffleNetV2 x{width:0.0}"), inputChannels, numClasses, minimumImageSize: 1, requiredImageSize: null)
    {
        if (!StageOutChannels.TryGetValue(width, out var channels))
            throw new ArgumentOutOfRangeException(nameof(width), width, $"ShuffleNetV2 is defined for widths {string.Join(", ", Widths.Select(w => w.ToString("0.0", CultureInfo.InvariantCulture)))}; pick one of them.");
        var activations = new InjectedActivations(activation, GetName());

        _conv1 = nn.Sequential(
            nn.Conv2d(inputChannels, channels[0], kernel_size: 3, stride: 1, padding: 1, bias: false),
            nn.BatchNorm2d(channels[0]),
            activations.Create());
        _stage2 = Stage(channels[0], channels[1], StageRepeats[0], activations);
        _stage3 = Stage(channels[1], channels[2], StageRepeats[1], activations);
        _stage4 = Stage(channels[2], channels[3], StageRepeats[2], activations);
        _conv5 = nn.Sequential(
            nn.Conv2d(channels[3], channels[4], kernel_size: 1, bias: false),
            nn.BatchNorm2d(channels[4]),
            activations.Create());
        _fc = nn.Linear(channels[4], numClasses);

        register_module("conv1", _conv1);
        register_module("stage2", _stage2);
        register_module("stage3", _stage3);
        register_module("stage4", _stage4);
        register_module("conv5", _conv5);
        register_module("fc", _fc);
    }

    protected override Tensor Classify(Tensor images)
    {
        var x = _conv1.forward(images);
        x = _stage2.forward(x);
        x = _stage3.forward(x);
        x = _stage4.forward(x);
        x = _conv5.forward(x);
        return _fc.forward(x.mean([2, 3]));
    }

    /// <summary>One downsampling unit followed by repeats - 1 units that keep the shape.</summary>
    private static Sequential Stage(int inputChannels, int outputChannels, int repeats, InjectedActivations activations)
    {
        var units = new List<nn.Module<Tensor, Tensor>> { new ShuffleUnit(inputChannels, outputChannels, stride: 2, activations) };
        for (var i = 1; i < repeats; i++) units.Add(new ShuffleUnit(outputChannels, outputChannels, stride: 1, activations));
        return nn.Sequential(units);
    }

    /// <summary>
    /// The ShuffleNet V2 unit (torchvision's InvertedResidual). With stride 1 half the channels pass through and
    /// branch2 transforms the other half; with stride 2 both branches see the whole input and halve its size.
    /// The two halves are concatenated and their channels interleaved.
    /// </summary>
    private sealed class ShuffleUnit : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential? _branch1;
        private readonly Sequential _branch2;

        public ShuffleUnit(int inputChannels, int outputChannels, int stride, InjectedActivations activations)
            : base(nameof(ShuffleUnit))
        {
            var branchChannels = outputChannels / 2;
            if (stride > 1)
            {
                _branch1 = nn.Sequential(
                    Depthwise(inputChannels, stride),
                    nn.BatchNorm2d(inputChannels),
                    nn.Conv2d(inputChannels, branchChannels, kernel_size: 1, bias: false),
                    nn.BatchNorm2d(branchChannels),
                    activations.Create());
                register_module("branch1", _branch1);
            }
            _branch2 = nn.Sequential(
                nn.Conv2d(stride > 1 ? inputChannels : branchChannels, branchChannels, kernel_size: 1, bias: false),
                nn.BatchNorm2d(branchChannels),
                activations.Create(),
                Depthwise(branchChannels, stride),
                nn.BatchNorm2d(branchChannels),
                nn.Conv2d(branchChannels, branchChannels, kernel_size: 1, bias: false),
                nn.BatchNorm2d(branchChannels),
                activations.Create());
            register_module("branch2", _branch2);
        }

        public override Tensor forward(Tensor input)
        {
            Tensor joined;
            if (_branch1 is null)
            {
                var halves = input.chunk(2, 1);
                joined = torch.cat([halves[0], _branch2.forward(halves[1])], 1);
            }
            else
            {
                joined = torch.cat([_branch1.forward(input), _branch2.forward(input)], 1);
            }
            return ShuffleChannels(joined, groups: 2);
        }

        private static Conv2d Depthwise(int channels, int stride) =>
            nn.Conv2d(channels, channels, kernel_size: 3, stride: stride, padding: 1, groups: channels, bias: false);

        /// <summary>Interleaves the channels of the groups so that information crosses between the branches.</summary>
        private static Tensor ShuffleChannels(Tensor x, int groups)
        {
            var (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
            return x.view(batch, groups, channels / groups, height, width)
                .transpose(1, 2)
                .contiguous()
                .view(batch, channels, height, width);
        }
    }
}
