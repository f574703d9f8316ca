using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

/// <summary>
/// The grain-side validator parses every formula a client sends: a huge or deeply nested one must come back as a
/// problem, reported with the sweep's other problems, and never overflow the silo's stack.
/// </summary>
public sealed class SweepFormulaLimitsTests : IDisposable
{
    private readonly TemporaryFolder data = new();

    public void Dispose() => data.Dispose();

    private static string NestedSigmoids(int levels) => string.Concat(Enumerable.Repeat("sigmoid(", levels)) + "x" + new string(')', levels);

    [Fact]
    public void AFormulaOf100000CharactersIsAProblemNamingTheLimitAlongsideTheOthers()
    {
        var formula = string.Join("+", Enumerable.Repeat("x", 50_000));
        var spec = SampleSpecs.Sweep(data.Path) with { Activations = ["relu", formula], Seeds = [-1] };

        var problems = SweepValidator.Validate(spec);

        Assert.Contains(problems, p => p.StartsWith("activations: formula 'x+x+x", StringComparison.Ordinal)
            && p.Contains("is 99999 characters long", StringComparison.Ordinal) && p.Contains("at most 1000 characters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("seeds: -1 is negative", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.True(p.Length < 600, p));
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(65)]
    public void ADeeplyNestedFormulaIsAProblem(int levels)
    {
        var spec = SampleSpecs.Sweep(data.Path) with { Activations = ["relu", NestedSigmoids(levels)] };

        var problem = Assert.Single(SweepValidator.Validate(spec));

        Assert.StartsWith("activations: formula 'sigmoid(sigmoid(", problem, StringComparison.Ordinal);
        Assert.Contains(levels == 65 ? "is nested more than 64 levels deep" : "at most 1000 characters", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBaselineCheckCopesWithAHugeFormula()
    {
        var formula = NestedSigmoids(10_000);
        var spec = SampleSpecs.Sweep(data.Path) with { Activations = ["relu", formula], BaselineActivation = formula };

        var problem = Assert.Single(SweepValidator.Validate(spec));

        Assert.Contains("at most 1000 characters", problem, StringComparison.Ordinal);
    }
}
