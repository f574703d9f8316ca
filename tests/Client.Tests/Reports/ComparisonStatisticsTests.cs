using CoS.Distributed.Client.Reports;
using static CoS.Distributed.Client.Tests.Reports.StatisticsFixtures;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>Welch, paired, P(A &gt; B) and Cohen's d against SciPy/statsmodels (Fixtures/Statistics/comparisons.json).</summary>
public sealed class ComparisonStatisticsTests
{
    public static IEnumerable<object[]> ComparisonCases => Cases("comparisons.json");

    [Theory]
    [MemberData(nameof(ComparisonCases))]
    public void WelchTestMatchesScipy(int index)
    {
        var c = Case("comparisons.json", index);
        var welch = TTests.Welch(c.GetProperty("candidate").Doubles(), c.GetProperty("baseline").Doubles());
        var name = c.GetProperty("name").GetString();
        var expected = c.GetProperty("welch");
        Assert.Null(welch.NotComputable);
        Near(expected.GetProperty("t").GetDouble(), welch.T, 1e-9, $"{name}: Welch t");
        Near(expected.GetProperty("df").GetDouble(), welch.DegreesOfFreedom, 1e-9, $"{name}: Welch df");
        Near(expected.GetProperty("p").GetDouble(), welch.P, 1e-9, $"{name}: Welch p");
    }

    [Theory]
    [MemberData(nameof(ComparisonCases))]
    public void PairedTestMatchesScipy(int index)
    {
        var c = Case("comparisons.json", index);
        if (!c.TryGetProperty("paired", out var expected)) return;
        var paired = TTests.Paired(c.GetProperty("candidate").Doubles(), c.GetProperty("baseline").Doubles());
        var name = c.GetProperty("name").GetString();
        Assert.Null(paired.NotComputable);
        Near(expected.GetProperty("t").GetDouble(), paired.T, 1e-9, $"{name}: paired t");
        Assert.Equal(expected.GetProperty("df").GetDouble(), paired.DegreesOfFreedom);
        Near(expected.GetProperty("p").GetDouble(), paired.P, 1e-9, $"{name}: paired p");
    }

    [Theory]
    [MemberData(nameof(ComparisonCases))]
    public void ProbabilityOfImprovementIsMannWhitneyUOverAllPairs(int index)
    {
        var c = Case("comparisons.json", index);
        var probability = EffectSizes.ProbabilityOfImprovement(c.GetProperty("candidate").Doubles(), c.GetProperty("baseline").Doubles());
        Assert.Equal(c.GetProperty("probabilityOfImprovement").GetDouble(), probability, 1e-15);
    }

    [Theory]
    [MemberData(nameof(ComparisonCases))]
    public void SeedsForPowerAtTheObservedEffectMatchStatsmodels(int index)
    {
        var c = Case("comparisons.json", index);
        var d = EffectSizes.CohensD(c.GetProperty("candidate").Doubles(), c.GetProperty("baseline").Doubles());
        Near(c.GetProperty("cohenD").GetDouble(), d, 1e-9, "Cohen's d");
        var estimate = PowerAnalysis.SeedsPerGroup(d);
        var expected = c.GetProperty("seedsForPower");
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            // d ≈ 70: two seeds per group already give power 1 (SciPy cannot evaluate it there).
            Assert.Equal(2, estimate.SeedsPerGroup);
            return;
        }
        // statsmodels stops its root search at about 1e-6 in power, which leaves n good to about 1e-5.
        Near(expected.GetDouble(), estimate.SeedsPerGroupExact, 1e-4, "seeds for 80 % power");
        Assert.Equal((int)Math.Ceiling(expected.GetDouble()), estimate.SeedsPerGroup);
    }

    [Fact]
    public void TailProbabilityKeepsItsRelativeAccuracyFarBelowMachineEpsilon()
    {
        // The "large effect" case: Welch p = 1.0e-15, which 1 − CDF(|t|) would round to 0 or 2.2e-16.
        var welch = TTests.Welch([91.02, 91.10, 90.95, 91.05, 90.99, 91.08], [87.60, 87.55, 87.66, 87.58, 87.62, 87.57]);
        Assert.InRange(welch.P, 1e-15, 1.02e-15);
    }

    [Fact]
    public void FewerThanTwoValuesOnASideIsNotComputableAndSaysWhy()
    {
        var welch = TTests.Welch([88.1], [87.5, 87.9, 87.7]);
        Assert.True(double.IsNaN(welch.P));
        Assert.Equal("needs at least 2 values on each side, has 1 and 3", welch.NotComputable);

        var paired = TTests.Paired([88.1], [87.5]);
        Assert.True(double.IsNaN(paired.P));
        Assert.Contains("at least 2 seeds completed on both sides, has 1", paired.NotComputable, StringComparison.Ordinal);
        Assert.True(double.IsNaN(EffectSizes.CohensD([88.1], [87.5, 87.9])));
    }

    [Fact]
    public void NoSpreadAtAllIsNotComputableRatherThanInfinite()
    {
        var welch = TTests.Welch([88.0, 88.0, 88.0], [87.0, 87.0]);
        Assert.True(double.IsNaN(welch.T));
        Assert.Contains("no spread", welch.NotComputable, StringComparison.Ordinal);
        var paired = TTests.Paired([88.0, 89.0, 90.0], [87.0, 88.0, 89.0]);
        Assert.Contains("same amount", paired.NotComputable, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbabilityOfImprovementIsHalfForIdenticalGroupsAndNaNForAnEmptySide()
    {
        Assert.Equal(0.5, EffectSizes.ProbabilityOfImprovement([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]));
        Assert.True(double.IsNaN(EffectSizes.ProbabilityOfImprovement([], [1.0])));
    }
}
