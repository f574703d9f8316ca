using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// A model that maps a batch of images [batch, channels, height, width] to class logits [batch, classes], and
/// refuses images of a shape it was not built for with a message that says how to fix the mismatch.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    protected ImageClassifier(string name, int inputChannels, int numClasses, int minimumImageSize, int? requiredImageSize)
        : base(name)
    {
        if (inputChannels < 1) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, $"{name} needs at least one input channel.");
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"{name} needs at least one class.");
        InputChannels = inputChannels;
        NumClasses = numClasses;
        MinimumImageSize = minimumImageSize;
        RequiredImageSize = requiredImageSize;
    }

    /// <summary>Channels the first layer expects (3 for RGB, 1 for greyscale).</summary>
    public int InputChannels { get; }

    /// <summary>Width of the output: one logit per class.</summary>
    public int NumClasses { get; }

    /// <summary>Smallest height and width for which every convolution and pooling window fits.</summary>
    public int MinimumImageSize { get; }

    /// <summary>The only height and width accepted, for models whose layer sizes depend on it; null when any size from
    /// <see cref="MinimumImageSize"/> up works.</summary>
    public int? RequiredImageSize { get; }

    public sealed override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputShape(input.shape);
        return Classify(input);
    }

    /// <summary>Makes every dropout layer draw its masks from <paramref name="generator"/> (see <see cref="SeededDropout"/>).</summary>
    public void UseDropoutGenerator(Generator generator)
    {
        foreach (var dropout in modules().OfType<SeededDropout>()) dropout.Generator = generator;
    }

    /// <summary>The model's computation on a batch whose shape has been checked.</summary>
    protected abstract Tensor Classify(Tensor images);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the expected shape when <paramref name="shape"/> does not fit.</summary>
    public void CheckInputShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var expected = RequiredImageSize is int size
            ? $"[batch, {InputChannels}, {size}, {size}]"
            : $"[batch, {InputChannels}, height, width] with height and width at least {MinimumImageSize}";
        var got = $"[{string.Join(", ", shape)}]";
        if (shape.Length != 4)
            throw new ArgumentException($"{GetName()} expects a batch of images {expected}; got a tensor of shape {got}. Add the batch dimension (unsqueeze(0)) or reshape the data to 4 dimensions.", nameof(shape));
        if (shape[1] != InputChannels)
            throw new ArgumentException($"{GetName()} was built for {InputChannels}-channel images {expected}; got {shape[1]} channels in {got}. Create the model with InputChannels = {shape[1]} or convert the images.", nameof(shape));
        if (RequiredImageSize is int required && (shape[2] != required || shape[3] != required))
            throw new ArgumentException($"{GetName()} was built for {required}x{required} images {expected}; got {shape[2]}x{shape[3]} in {got}. Create the model with ImageSize = {shape[2]} or resize the images.", nameof(shape));
        if (shape[2] < MinimumImageSize || shape[3] < MinimumImageSize)
            throw new ArgumentException($"{GetName()} needs images of at least {MinimumImageSize}x{MinimumImageSize} {expected}; got {shape[2]}x{shape[3]} in {got}. Use larger images.", nameof(shape));
    }
}
