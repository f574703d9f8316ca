using CoS.Distributed.Training.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Activations;

public class BuiltInActivationTests
{
    public static TheoryData<string> BuiltInNames => new(ActivationRegistry.Names);

    [Theory]
    [MemberData(nameof(BuiltInNames))]
    public void EveryBuiltInDerivativeMatchesCentralDifferencesInFloat64(string name)
    {
        FiniteDifferences.AssertDerivativeMatches(ActivationRegistry.Get(name), FiniteDifferences.Inputs);
    }

    [Theory]
    [MemberData(nameof(BuiltInNames))]
    public void EveryBuiltInKeepsTheShapeAndDtypeOfItsInput(string name)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.randn(2, 3, 4, 5);
        var output = ActivationRegistry.Get(name).Forward(input);
        Assert.Equal(input.shape, output.shape);
        Assert.Equal(ScalarType.Float32, output.dtype);
    }

    [Fact]
    public void BuiltInsGiveTheirTextbookValuesAtOne()
    {
        double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var expected = new Dictionary<string, double>
        {
            ["relu"] = 1,
            ["swish"] = Sigmoid(1),
            ["mish"] = Math.Tanh(Math.Log(1 + Math.E)),
            ["gelu"] = 0.8413447460685429,
            ["elu"] = 1,
            ["leaky_relu"] = 1,
            ["sigmoid"] = Sigmoid(1),
            ["tanh"] = Math.Tanh(1),
            ["softplus"] = Math.Log(1 + Math.E),
        };
        foreach (var (name, value) in expected)
            Assert.Equal(value, FiniteDifferences.Values(ActivationRegistry.Get(name), 1.0)[0], 12);
    }

    [Fact]
    public void LeakyReluHasSlopeOneHundredthBelowZeroAndEluTendsToMinusOne()
    {
        Assert.Equal(-0.03, FiniteDifferences.Values(ActivationRegistry.Get("leaky_relu"), -3)[0], 12);
        Assert.Equal(Math.Exp(-3) - 1, FiniteDifferences.Values(ActivationRegistry.Get("elu"), -3)[0], 12);
    }
}
