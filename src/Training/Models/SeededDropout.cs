using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// Dropout whose mask comes from a generator the training run owns instead of LibTorch's process-wide one, so
/// slots training side by side in one process (several CPU slots, or one slot per CUDA device) stay reproducible:
/// another slot's draws or reseeds never reach this run's masks. Without a generator it uses the global one, like
/// <c>nn.Dropout</c>. It has no parameters, so state-dict names stay torchvision's.
/// </summary>
public sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double probability;

    public SeededDropout(double probability) : base("Dropout")
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "dropout probability must be at least 0 and below 1");
        this.probability = probability;
    }

    public Generator? Generator { get; set; }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || probability == 0) return input.alias();
        using var keep = torch.empty_like(input).bernoulli_(1 - probability, Generator);
        return input.mul(keep).div_(1 - probability);
    }
}
