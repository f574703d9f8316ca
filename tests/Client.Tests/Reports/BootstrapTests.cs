using CoS.Distributed.Client.Reports;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>The bootstrap interval's properties: no reference number exists for a particular generator's draws.</summary>
public sealed class BootstrapTests
{
    private static readonly double[] Relu = [87.59, 87.12, 87.81, 87.40, 87.66];
    private static readonly double[] Cos = [88.36, 87.94, 88.21, 87.70, 88.49];

    [Fact]
    public void TheSameSeedGivesTheSameIntervalAndAnotherSeedAnother()
    {
        var first = Bootstrap.MeanDifference(Cos, Relu);
        var again = Bootstrap.MeanDifference(Cos, Relu);
        var other = Bootstrap.MeanDifference(Cos, Relu, seed: 7);
        Assert.Equal(first, again);
        Assert.NotEqual(first.Low, other.Low);
        Assert.Equal(10_000, first.Resamples);
        Assert.Equal(Bootstrap.DefaultSeed, first.Seed);
    }

    [Fact]
    public void TheIntervalContainsTheObservedDifferenceAndIsNoWiderThanTheDataAllow()
    {
        var interval = Bootstrap.MeanDifference(Cos, Relu);
        var observed = Cos.Average() - Relu.Average();
        Assert.InRange(observed, interval.Low, interval.High);
        // No resample can differ by more than max(Cos) − min(Relu) or less than min(Cos) − max(Relu).
        Assert.InRange(interval.Low, Cos.Min() - Relu.Max(), observed);
        Assert.InRange(interval.High, observed, Cos.Max() - Relu.Min());
    }

    [Fact]
    public void MoreSeedsGiveANarrowerInterval()
    {
        // The same two distributions, 5 and then 40 seeds each: the width shrinks about as 1/√n.
        double[] Repeat(double[] values, int times) => [.. Enumerable.Repeat(values, times).SelectMany(v => v)];
        var small = Bootstrap.MeanDifference(Cos, Relu);
        var large = Bootstrap.MeanDifference(Repeat(Cos, 8), Repeat(Relu, 8));
        var ratio = (large.High - large.Low) / (small.High - small.Low);
        Assert.InRange(ratio, 0.25, 0.5);
    }

    [Fact]
    public void FewerThanTwoValuesOnASideIsNotComputable()
    {
        var interval = Bootstrap.MeanDifference([88.0], Relu);
        Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High));
        Assert.Equal("needs at least 2 values on each side, has 1 and 5", interval.NotComputable);
    }
}
