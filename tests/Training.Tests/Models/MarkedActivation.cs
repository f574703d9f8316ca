using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

/// <summary>A ReLU of its own type that counts its calls, so a test can find every place a model put the injected
/// activation and see that the forward pass goes through each of them.</summary>
internal sealed class MarkedActivation : nn.Module<Tensor, Tensor>
{
    public MarkedActivation() : base(nameof(MarkedActivation)) { }

    public int Calls { get; private set; }

    public override Tensor forward(Tensor input)
    {
        Calls++;
        return nn.functional.relu(input);
    }
}
