using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>An activation backed by one fused TorchSharp operation (relu, silu, mish, ...).</summary>
public sealed class BuiltInActivation : Activation
{
    private readonly Func<Tensor, Tensor> _forward;

    public BuiltInActivation(string name, string description, Func<Tensor, Tensor> forward)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(forward);
        Name = name;
        Description = description ?? "";
        _forward = forward;
    }

    public override string Name { get; }

    public override string Description { get; }

    public override Tensor Forward(Tensor x) => _forward(x);
}
