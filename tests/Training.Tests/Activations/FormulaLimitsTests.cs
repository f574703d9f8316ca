using System.Text;
using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Training.Tests.Activations;

/// <summary>
/// A formula comes from a user (a sweep file, a grain call), and the parser and compiler recurse over it: without
/// limits a long or deeply nested formula overflows the stack, which kills the whole silo or client process.
/// </summary>
public sealed class FormulaLimitsTests
{
    private const int Huge = 10_000;

    // Built here rather than passed as theory data, so that test names stay short.
    private static string HugeFormula(string shape) => shape switch
    {
        "a 100,000-character sum" => Sum(50_000),
        "10,000 parentheses" => Wrap("(", "x", ")", Huge),
        "10,000 unary minus around parentheses" => Wrap("-(", "x", ")", Huge),
        "10,000 unary minus" => new string('-', Huge) + "x",
        "10,000 nested sigmoids" => Wrap("sigmoid(", "x", ")", Huge),
        "10,000 nested max calls" => Wrap("max(0, ", "x", ")", Huge),
        "a 10,000-high tower of powers" => string.Join("^", Enumerable.Repeat("x", Huge)),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    [Theory]
    [InlineData("a 100,000-character sum")]
    [InlineData("10,000 parentheses")]
    [InlineData("10,000 unary minus around parentheses")]
    [InlineData("10,000 unary minus")]
    [InlineData("10,000 nested sigmoids")]
    [InlineData("10,000 nested max calls")]
    [InlineData("a 10,000-high tower of powers")]
    public void AHugeFormulaIsRefusedWithTheLengthLimitInsteadOfOverflowingTheStack(string shape)
    {
        var formula = HugeFormula(shape);

        var error = Assert.Throws<FormulaException>(() => new FormulaActivation(formula));

        Assert.Contains($"is {formula.Length} characters long", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 1000 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("write a shorter formula", error.Message, StringComparison.Ordinal);
        // The message shows the formula's start, not all of it: it goes into logs, grain state and terminals.
        Assert.True(error.Message.Length < 400, error.Message);
        Assert.Equal(formula, error.Formula);
    }

    [Theory]
    [InlineData("a 100,000-character sum")]
    [InlineData("10,000 nested sigmoids")]
    public void AHugeFormulaIsRefusedByTheRegistryWhichSweepsAndSilosUse(string shape)
    {
        var error = Assert.Throws<FormulaException>(() => ActivationRegistry.Resolve(HugeFormula(shape)));
        Assert.Contains("at most 1000 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("sigmoid(", ")")]
    [InlineData("max(0.1*x, ", ")")]
    public void NestingDeeperThan64LevelsIsRefusedWhereThe65thLevelOpens(string open, string close)
    {
        var formula = Wrap(open, "x", close, 65);
        Assert.True(formula.Length <= 1000, "the formula must be within the length limit, so that the depth limit is what refuses it");

        var error = Assert.Throws<FormulaException>(() => new FormulaActivation(formula));

        Assert.Contains("is nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
        Assert.Contains("write it with fewer levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(64 * open.Length, error.Position);
    }

    [Theory]
    [InlineData("(", ")", 64)]
    [InlineData("sigmoid(", ")", 64)]
    [InlineData("max(0.1*x, ", ")", 64)]
    [InlineData("-(", ")", 32)]
    public void NestingOf64LevelsIsAccepted(string open, string close, int wraps)
    {
        var formula = Wrap(open, "x", close, wraps);
        Assert.Equal(formula, new FormulaActivation(formula).Formula);
    }

    [Fact]
    public void UnaryMinusAndPowersCountAsLevels()
    {
        var minusAndParentheses = Assert.Throws<FormulaException>(() => new FormulaActivation(Wrap("-(", "x", ")", 33)));
        Assert.Contains("is nested more than 64 levels deep", minusAndParentheses.Message, StringComparison.Ordinal);
        Assert.Equal(64, minusAndParentheses.Position);

        var minus = Assert.Throws<FormulaException>(() => new FormulaActivation(new string('-', 65) + "x"));
        Assert.Contains("is nested more than 64 levels deep", minus.Message, StringComparison.Ordinal);

        var powers = Assert.Throws<FormulaException>(() => new FormulaActivation("sigmoid(" + string.Join("^", Enumerable.Repeat("x", 66)) + ")"));
        Assert.Contains("is nested more than 64 levels deep", powers.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongSumWithinTheLengthLimitIsAcceptedBecauseSumsDoNotNest()
    {
        // 500 terms: 999 characters. Chains of + - * / are loops in the parser, not nesting.
        var formula = Sum(500);
        Assert.Equal(999, formula.Length);
        Assert.Equal(formula, new FormulaActivation(formula).Formula);
    }

    [Fact]
    public void AFormulaOf1000CharactersIsAcceptedAnd1001Refused()
    {
        var longest = "x" + string.Concat(Enumerable.Repeat("+0", 499)) + "0";
        Assert.Equal(1000, longest.Length);
        Assert.Equal(longest, new FormulaActivation(longest).Formula);

        var error = Assert.Throws<FormulaException>(() => new FormulaActivation(longest + "0"));
        Assert.Contains("is 1001 characters long", error.Message, StringComparison.Ordinal);
    }

    private static string Sum(int terms) => string.Join("+", Enumerable.Repeat("x", terms));

    private static string Wrap(string open, string inner, string close, int levels)
    {
        var text = new StringBuilder(levels * (open.Length + close.Length) + inner.Length);
        for (var i = 0; i < levels; i++) text.Append(open);
        text.Append(inner);
        for (var i = 0; i < levels; i++) text.Append(close);
        return text.ToString();
    }
}
