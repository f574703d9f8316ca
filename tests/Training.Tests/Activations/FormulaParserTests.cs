using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Training.Tests.Activations;

public class FormulaParserTests
{
    [Theory]
    [InlineData("x*+2", 2, "formula 'x*+2', position 2: expected a number, x, a function or '(' but found '+'")]
    [InlineData("", 0, "formula '', position 0: the formula is empty")]
    [InlineData("   ", 0, "the formula is empty")]
    [InlineData("(x+1", 4, "expected ')' to close the '(' at position 0 but found the end of the formula")]
    [InlineData("x+1)", 3, "found ')' without a matching '('")]
    [InlineData("2x", 1, "expected an operator (+ - * / ^) or the end of the formula but found 'x'; write '*' to multiply")]
    [InlineData("x $ 2", 2, "but found '$'")]
    [InlineData("x*", 2, "expected a number, x, a function or '(' but found the end of the formula")]
    [InlineData("x + y", 4, "unknown name 'y'; the only variable is x")]
    [InlineData("1 + foo(x)", 4, "unknown function 'foo'; known functions are sigmoid, tanh, exp, log, softplus, relu, abs, sqrt, erf, min (2 arguments), max (2 arguments)")]
    [InlineData("min(x)", 0, "function 'min' takes 2 arguments but was given 1")]
    [InlineData("x + tanh(x, 2)", 4, "function 'tanh' takes 1 argument but was given 2")]
    [InlineData("sigmoid()", 0, "function 'sigmoid' takes 1 argument but was given none")]
    [InlineData("sigmoid x", 8, "expected '(' after function 'sigmoid' but found 'x'")]
    [InlineData("max(x, 0", 8, "expected ',' or ')' to close the '(' at position 3 but found the end of the formula")]
    [InlineData("x * .", 4, "but found '.'")]
    [InlineData("x + 1e999", 4, "the number 1e999 is too large")]
    [InlineData("x + log(-1)", 4, "'log(-1)' is NaN; a formula must stay finite")]
    [InlineData("x + 1/0", 4, "'1/0' is +infinity")]
    public void MalformedFormulaIsRejectedAtTheOffendingPosition(string formula, int position, string message)
    {
        var error = Assert.Throws<FormulaException>(() => new FormulaActivation(formula));
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(formula.Trim(), error.Formula);
    }

    [Fact]
    public void FormulaWithoutXIsRejectedBecauseAnActivationMustDependOnItsInput()
    {
        var error = Assert.Throws<FormulaException>(() => new FormulaActivation("2 + sigmoid(0)"));
        Assert.Null(error.Position);
        Assert.Equal("formula '2 + sigmoid(0)' never uses x (it is the constant 2.5); an activation must depend on its input x", error.Message);
    }

    [Theory]
    [InlineData("-x^2", -9.0)]
    [InlineData("(-x)^2", 9.0)]
    [InlineData("x^3^0", 3.0)]
    [InlineData("x*2^-abs(x)", 0.375)]
    [InlineData("x - 1 - 1", 1.0)]
    [InlineData("x / 3 / 2", 0.5)]
    [InlineData("1 + 2*x^2", 19.0)]
    [InlineData("x*1.5e1 + .5 - 5.", 40.5)]
    [InlineData("2E-1*x", 0.6000000000000001)]
    [InlineData("MAX(x, 4) + Min(x, 0)", 4.0)]
    [InlineData("--x", 3.0)]
    [InlineData("x", 3.0)]
    public void OperatorsBindAsInMathematics(string formula, double expectedAtThree)
    {
        Assert.Equal(expectedAtThree, FiniteDifferences.Values(new FormulaActivation(formula), 3.0)[0], 12);
    }
}
