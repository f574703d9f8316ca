using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// Builds a model by the name a sweep configuration uses. The torchvision networks are the 32x32 CIFAR variants
/// whose state_dict names and shapes are torchvision's; mlp and small_cnn are this project's own.
/// </summary>
public static class ModelCatalog
{
    private delegate ImageClassifier Builder(ModelOptions options, Func<nn.Module<Tensor, Tensor>> activation);

    /// <summary>Options each model reads besides NumClasses, InputChannels and ImageSize.</summary>
    [Flags]
    private enum Extras
    {
        None = 0,
        WidthMultiplier = 1,
        Dropout = 2,
        FullyConnected = 4,
    }

    private static readonly (string Name, Extras Extras, Builder Build)[] Models =
    [
        ("shufflenet_v2_x0_5", Extras.None, (o, a) => new ShuffleNetV2(0.5, o.NumClasses, o.InputChannels, a)),
        ("shufflenet_v2_x1_0", Extras.None, (o, a) => new ShuffleNetV2(1.0, o.NumClasses, o.InputChannels, a)),
        ("shufflenet_v2_x1_5", Extras.None, (o, a) => new ShuffleNetV2(1.5, o.NumClasses, o.InputChannels, a)),
        ("shufflenet_v2_x2_0", Extras.None, (o, a) => new ShuffleNetV2(2.0, o.NumClasses, o.InputChannels, a)),
        ("mobilenet_v2", Extras.WidthMultiplier | Extras.Dropout,
            (o, a) => new MobileNetV2(o.NumClasses, o.InputChannels, a, o.WidthMultiplier, o.Dropout ?? MobileNetV2.DefaultDropout)),
        ("squeezenet1_0", Extras.Dropout,
            (o, a) => new SqueezeNet(SqueezeNetVersion.V1_0, o.NumClasses, o.InputChannels, a, o.Dropout ?? SqueezeNet.DefaultDropout)),
        ("squeezenet1_1", Extras.Dropout,
            (o, a) => new SqueezeNet(SqueezeNetVersion.V1_1, o.NumClasses, o.InputChannels, a, o.Dropout ?? SqueezeNet.DefaultDropout)),
        ("mlp", Extras.FullyConnected,
            (o, a) => new FullyConnectedNetwork(o.Depth, o.Width, o.NumClasses, o.InputChannels, o.ImageSize, a, o.BatchNorm)),
        ("small_cnn", Extras.None, (o, a) => new SmallCnn(o.NumClasses, o.InputChannels, o.ImageSize, a)),
    ];

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Models.Select(m => m.Name)];

    /// <summary>
    /// Builds the model <paramref name="name"/> for <paramref name="options"/>, with a new module from
    /// <paramref name="activation"/> wherever the architecture has an activation. Weights come from the torch global
    /// generator, so torch.manual_seed before this call makes them reproducible.
    /// </summary>
    public static ImageClassifier Create(string name, ModelOptions options, Func<nn.Module<Tensor, Tensor>> activation)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activation);
        var entry = Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (entry.Build is null)
            throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name));

        var problems = options.Problems().Concat(UnusedOptions(entry.Name, entry.Extras, options)).ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"Options for model '{entry.Name}' are not usable: {string.Join(" ", problems)}", nameof(options));

        var model = entry.Build(options, activation);
        if (options.ImageSize < model.MinimumImageSize)
        {
            model.Dispose();
            throw new ArgumentException(
                $"Model '{entry.Name}' needs images of at least {model.MinimumImageSize}x{model.MinimumImageSize}; ImageSize is {options.ImageSize}. Use a larger ImageSize or another model.",
                nameof(options));
        }
        return model;
    }

    /// <summary>Number of trainable values in the module's parameters (buffers such as BatchNorm statistics excluded).</summary>
    public static long CountParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Sum(p => p.numel());
    }

    private static IEnumerable<string> UnusedOptions(string name, Extras extras, ModelOptions options)
    {
        var defaults = new ModelOptions();
        if (!extras.HasFlag(Extras.WidthMultiplier) && options.WidthMultiplier != defaults.WidthMultiplier)
        {
            yield return name.StartsWith("shufflenet", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"WidthMultiplier {options.WidthMultiplier} is not used by {name}; choose the width by name (shufflenet_v2_x0_5, _x1_0, _x1_5, _x2_0) and leave WidthMultiplier at 1.0.")
                : string.Create(CultureInfo.InvariantCulture, $"WidthMultiplier {options.WidthMultiplier} is not used by {name}; only mobilenet_v2 has one. Leave it at 1.0.");
        }
        if (!extras.HasFlag(Extras.Dropout) && options.Dropout is double dropout)
            yield return string.Create(CultureInfo.InvariantCulture, $"Dropout {dropout} is not used by {name}, which has no dropout layer; leave Dropout unset.");
        if (!extras.HasFlag(Extras.FullyConnected) && (options.Depth != defaults.Depth || options.Width != defaults.Width))
            yield return $"Depth {options.Depth} and Width {options.Width} are mlp options; {name} has a fixed layout. Leave them at {defaults.Depth} and {defaults.Width}.";
        if (!extras.HasFlag(Extras.FullyConnected) && options.BatchNorm)
            yield return $"BatchNorm is an mlp option; {name} has a fixed layout. Leave BatchNorm false.";
    }
}
