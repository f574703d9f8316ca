using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

/// <summary>A ReLU of its own type, so a test can find every place a model put the injected activation.</summary>
internal sealed class MarkedActivation : nn.Module<Tensor, Tensor>
{
    public MarkedActivation() : base(nameof(MarkedActivation)) { }

    public override Tensor forward(Tensor input) => nn.functional.relu(input);
}
