using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Training.Tests.Activations;

public class ActivationRegistryTests
{
    [Fact]
    public void RegistryListsTheTenBuiltInsInHelpOrder()
    {
        Assert.Equal(["relu", "swish", "cos", "mish", "gelu", "elu", "leaky_relu", "sigmoid", "tanh", "softplus"], ActivationRegistry.Names);
        Assert.Equal(ActivationRegistry.Names, ActivationRegistry.All.Select(a => a.Name));
        Assert.All(ActivationRegistry.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Description)));
    }

    [Theory]
    [InlineData("relu", "relu")]
    [InlineData("ReLU", "relu")]
    [InlineData("  CoS ", "cos")]
    [InlineData("silu", "swish")]
    [InlineData("SiLU", "swish")]
    [InlineData("Leaky_ReLU", "leaky_relu")]
    public void LookupIgnoresCaseAndAcceptsAliases(string text, string name)
    {
        Assert.Equal(name, ActivationRegistry.Get(text).Name);
        Assert.Same(ActivationRegistry.Get(name), ActivationRegistry.Resolve(text));
    }

    [Fact]
    public void CoSIsTheFusedCustomActivation()
    {
        Assert.IsType<CoSActivation>(ActivationRegistry.Get("cos"));
    }

    [Fact]
    public void ResolveTurnsAnythingElseIntoAFormula()
    {
        var activation = ActivationRegistry.Resolve(CoSActivation.CompositeFormula);
        var formula = Assert.IsType<FormulaActivation>(activation);
        Assert.Equal(CoSActivation.CompositeFormula, formula.Name);
        Assert.IsType<FormulaActivation>(ActivationRegistry.Resolve("x"));
    }

    [Theory]
    [InlineData("swissh")]
    [InlineData("leaky-relu")]
    public void UnknownNameErrorListsTheNamesAndShowsHowToWriteAFormula(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationRegistry.Resolve(name));
        Assert.IsNotType<FormulaException>(error);
        Assert.StartsWith($"'{name}' is neither a built-in activation nor a formula; the built-in activations are relu, swish (alias silu), cos, mish, gelu, elu, leaky_relu, sigmoid, tanh, softplus.", error.Message, StringComparison.Ordinal);
        Assert.Contains("A formula is an expression in x, such as 'x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetRefusesAFormulaAndNamesTheBuiltIns()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationRegistry.Get("x*sigmoid(x)"));
        Assert.Contains("'x*sigmoid(x)' is not a built-in activation; the built-in activations are relu,", error.Message, StringComparison.Ordinal);
        Assert.False(ActivationRegistry.TryGet("nope", out _));
    }

    [Fact]
    public void MalformedFormulaKeepsItsPositionThroughResolve()
    {
        var error = Assert.Throws<FormulaException>(() => ActivationRegistry.Resolve("x*+2"));
        Assert.Equal(2, error.Position);
    }
}
