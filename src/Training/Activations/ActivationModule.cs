using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>A network layer that applies an <see cref="Activations.Activation"/>; it has no parameters.</summary>
public sealed class ActivationModule : nn.Module<Tensor, Tensor>
{
    public ActivationModule(Activation activation) : base(activation?.Name ?? throw new ArgumentNullException(nameof(activation)))
    {
        Activation = activation;
    }

    /// <summary>The function this layer applies.</summary>
    public Activation Activation { get; }

    public override Tensor forward(Tensor input) => Activation.Forward(input);
}
