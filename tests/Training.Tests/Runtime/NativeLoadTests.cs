using CoS.Distributed.Training.Runtime;
using TorchSharp;

namespace CoS.Distributed.Training.Tests.Runtime;

public class NativeLoadTests
{
    [Fact]
    public void LibTorchLoadsAndComputesAGradient()
    {
        using var x = torch.tensor(new[] { 1.0f, 2.0f, 3.0f }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        Assert.Equal(new[] { 2.0f, 4.0f, 6.0f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void TestProcessStartsWithTheMallocTunables()
    {
        Assert.True(MallocTuning.StartedWithTunables, $"{MallocTuning.Variable} should be set by tests/test.runsettings");
    }
}
