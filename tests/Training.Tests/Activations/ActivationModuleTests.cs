using CoS.Distributed.Training.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Activations;

public class ActivationModuleTests
{
    [Fact]
    public void EachCallCreatesANewModuleWithoutParameters()
    {
        var cos = ActivationRegistry.Get("cos");
        using var first = cos.CreateModule();
        using var second = cos.CreateModule();
        Assert.NotSame(first, second);
        Assert.Empty(first.parameters());
        Assert.Same(cos, Assert.IsType<ActivationModule>(first).Activation);
    }

    [Theory]
    [InlineData("cos")]
    [InlineData("relu")]
    [InlineData("x*sigmoid(x) + 0.1*min(x, 0)")]
    public void ModuleInsideSequentialTrainsWithAutograd(string activation)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var model = nn.Sequential(
            ("fc1", nn.Linear(4, 8)),
            ("act", ActivationRegistry.Resolve(activation).CreateModule()),
            ("fc2", nn.Linear(8, 1)));
        var input = torch.randn(16, 4);
        var target = input.sum(1, keepdim: true);
        var optimizer = torch.optim.SGD(model.parameters(), 0.05);

        float LossNow() => nn.functional.mse_loss(model.call(input), target).item<float>();
        var before = LossNow();
        for (var step = 0; step < 20; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(input), target).backward();
            optimizer.step();
        }

        Assert.Equal(4, model.parameters().Count());
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(LossNow() < before, $"loss went from {before} to {LossNow()}");
    }
}
