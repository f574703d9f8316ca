using CoS.Distributed.Training.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Activations;

public class FormulaActivationTests
{
    [Theory]
    [InlineData(CoSActivation.CompositeFormula)]
    [InlineData("max(x, 0.1*x) + min(abs(x), 1)")]
    [InlineData("x*tanh(softplus(x))")]
    [InlineData("x*(1 + erf(x/sqrt(2)))/2")]
    [InlineData("relu(x)^3 / (1 + x^2) - exp(-x^2)")]
    [InlineData("log(1 + exp(-abs(x))) + 2^sigmoid(x) - x/(2 + sigmoid(x))")]
    public void FormulaDerivativeMatchesCentralDifferencesInFloat64(string formula)
    {
        FiniteDifferences.AssertDerivativeMatches(new FormulaActivation(formula), FiniteDifferences.Inputs);
    }

    [Fact]
    public void FormulasOfBuiltInsGiveTheBuiltInValues()
    {
        var inputs = FiniteDifferences.Inputs;
        var pairs = new (string Formula, string BuiltIn)[]
        {
            ("x*sigmoid(x)", "swish"), ("relu(x)", "relu"), ("softplus(x)", "softplus"), ("max(x, 0.01*x)", "leaky_relu"),
            ("x*(1 + erf(x/sqrt(2)))/2", "gelu"), ("x*tanh(softplus(x))", "mish"), (CoSActivation.CompositeFormula, "cos"),
        };
        foreach (var (formula, builtIn) in pairs)
        {
            var fromFormula = FiniteDifferences.Values(new FormulaActivation(formula), inputs);
            var expected = FiniteDifferences.Values(ActivationRegistry.Get(builtIn), inputs);
            for (var i = 0; i < inputs.Length; i++) Assert.Equal(expected[i], fromFormula[i], 12);
        }
    }

    [Theory]
    [InlineData("log(x)", "gives -infinity at x = 0", 0.0)]
    [InlineData("sqrt(x) + x", "has derivative +infinity at x = 0", 0.0)]
    [InlineData("x + 1/x", "gives +infinity at x = 0", 0.0)]
    [InlineData("log(x + 1.5)", "gives -infinity at x = -1.5", -1.5)]
    [InlineData("log(x + 1.51)", "gives NaN at x = -1.52", -1.52)]
    [InlineData("x*exp(x)", "gives +infinity in float32 at x = 100", 100.0)]
    [InlineData("x/(1 + exp(-x))", "has derivative NaN in float32 at x = -100", -100.0)]
    [InlineData("sqrt(x^2)", "has derivative NaN at x = 0", 0.0)]
    public void FormulaThatIsNotFiniteSomewhereIsRejectedNamingTheInput(string formula, string problem, double input)
    {
        var error = Assert.Throws<FormulaException>(() => new FormulaActivation(formula));
        Assert.StartsWith($"formula '{formula}' {problem} (fails at ", error.Message, StringComparison.Ordinal);
        Assert.Equal(input, error.FailingInput);
        Assert.Null(error.Position);
    }

    [Fact]
    public void FormulaIsNamedByItsTextUnlessGivenAName()
    {
        var unnamed = new FormulaActivation("  x*sigmoid(x) ");
        var named = new FormulaActivation("x*sigmoid(x)", "my_swish");
        Assert.Equal("x*sigmoid(x)", unnamed.Name);
        Assert.Equal("x*sigmoid(x)", unnamed.Formula);
        Assert.Equal("my_swish", named.Name);
        Assert.Contains("x*sigmoid(x)", named.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void FormulaKeepsFloat32AndDoesNotReturnItsInputTensor()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.randn(3, 4);
        var identity = new FormulaActivation("x").Forward(input);
        var scaled = new FormulaActivation("2*x + 1").Forward(input);

        Assert.NotSame(input, identity);
        Assert.Equal(ScalarType.Float32, scaled.dtype);
        Assert.True(scaled.allclose(input * 2 + 1));
    }

    [Fact]
    public void ProbeCoversZeroTheDenseRangeAndBothFarTails()
    {
        var inputs = FormulaActivation.ProbeInputs;
        Assert.Contains(0.0, inputs);
        Assert.Contains(-1.5, inputs);
        Assert.Equal(-1000, inputs[0]);
        Assert.Equal(1000, inputs[^1]);
        Assert.Contains(100.0, inputs);
        Assert.Equal(2015, inputs.Count);
    }
}
