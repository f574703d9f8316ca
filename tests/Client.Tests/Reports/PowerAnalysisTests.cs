using CoS.Distributed.Client.Reports;
using static CoS.Distributed.Client.Tests.Reports.StatisticsFixtures;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>Noncentral t, power and seeds for 80 % power against SciPy and statsmodels (Fixtures/Statistics/power.json).</summary>
public sealed class PowerAnalysisTests
{
    public static IEnumerable<object[]> NoncentralTPoints => Cases("power.json", "noncentralT");
    public static IEnumerable<object[]> CurvePoints => Cases("power.json", "curve");
    public static IEnumerable<object[]> SolvedEffects => Cases("power.json", "solve");

    [Theory]
    [MemberData(nameof(NoncentralTPoints))]
    public void NoncentralTMatchesScipy(int index)
    {
        var point = Case("power.json", index, "noncentralT");
        double x = point.GetProperty("x").GetDouble(), df = point.GetProperty("df").GetDouble(), nc = point.GetProperty("noncentrality").GetDouble();
        Near(point.GetProperty("cdf").GetDouble(), NoncentralStudentT.CDF(x, df, nc), 1e-9, $"CDF({x}; {df}, {nc})");
        Near(point.GetProperty("sf").GetDouble(), NoncentralStudentT.SF(x, df, nc), 1e-9, $"SF({x}; {df}, {nc})");
    }

    [Theory]
    [MemberData(nameof(CurvePoints))]
    public void PowerMatchesStatsmodels(int index)
    {
        var point = Case("power.json", index, "curve");
        double d = point.GetProperty("effectSize").GetDouble(), n = point.GetProperty("seedsPerGroup").GetDouble();
        // statsmodels takes the critical t from SciPy 1.10's t.isf, which is off by up to 6e-10 relative (at df = 58 its
        // own t.cdf gives 0.97499999994 back; MathNet's InvCDF gives 0.975 to 5e-14, and for df = 2 equals the closed
        // form): that moves the power by up to 2e-9, so the comparison allows 1e-8.
        Near(point.GetProperty("power").GetDouble(), PowerAnalysis.Power(d, n), 1e-8, $"power(d = {d}, n = {n})");
    }

    [Theory]
    [MemberData(nameof(SolvedEffects))]
    public void SeedsForEightyPercentPowerMatchStatsmodels(int index)
    {
        var point = Case("power.json", index, "solve");
        var expected = point.GetProperty("seedsPerGroup").GetDouble();
        var estimate = PowerAnalysis.SeedsPerGroup(point.GetProperty("effectSize").GetDouble());
        Near(expected, estimate.SeedsPerGroupExact, 1e-4, "seeds per group");
        Assert.Equal((int)Math.Ceiling(expected), estimate.SeedsPerGroup);
        Assert.Equal(estimate.SeedsPerGroup!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), estimate.Text);
    }

    [Fact]
    public void ANegativeEffectNeedsAsManySeedsAsThePositiveOne()
    {
        Assert.Equal(PowerAnalysis.SeedsPerGroup(0.8).SeedsPerGroup, PowerAnalysis.SeedsPerGroup(-0.8).SeedsPerGroup);
    }

    [Fact]
    public void NoDifferenceOrUnknownSpreadIsNotEstimable()
    {
        Assert.Null(PowerAnalysis.SeedsPerGroup(0).SeedsPerGroup);
        Assert.Equal("not estimable (no difference)", PowerAnalysis.SeedsPerGroup(0).Text);
        Assert.Equal("not estimable (no spread known)", PowerAnalysis.SeedsPerGroup(double.NaN).Text);
    }

    [Fact]
    public void AnEffectTooSmallForAMillionSeedsSaysSo()
    {
        var estimate = PowerAnalysis.SeedsPerGroup(0.001);
        Assert.Null(estimate.SeedsPerGroup);
        Assert.Equal("more than 1,000,000", estimate.Text);
    }

    [Fact]
    public void AHugeEffectNeedsTheMinimumOfTwoSeeds()
    {
        Assert.Equal(2, PowerAnalysis.SeedsPerGroup(50).SeedsPerGroup);
    }
}
