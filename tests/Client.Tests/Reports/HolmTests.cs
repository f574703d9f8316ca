using CoS.Distributed.Client.Reports;
using static CoS.Distributed.Client.Tests.Reports.StatisticsFixtures;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>Holm–Bonferroni against statsmodels' multipletests(method="holm") (Fixtures/Statistics/holm.json).</summary>
public sealed class HolmTests
{
    public static IEnumerable<object[]> Families => Cases("holm.json");

    [Theory]
    [MemberData(nameof(Families))]
    public void AdjustedPValuesMatchStatsmodels(int index)
    {
        var family = Case("holm.json", index);
        var adjusted = Holm.Adjust(family.GetProperty("p").Doubles());
        var expected = family.GetProperty("adjusted").Doubles();
        var reject = family.GetProperty("reject").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Near(expected[i], adjusted[i], 1e-12, $"family {index}, p #{i}");
            Assert.Equal(reject[i], adjusted[i] <= 0.05);
        }
    }

    [Fact]
    public void TestsThatCouldNotBeComputedStayNaNAndDoNotCountInTheFamily()
    {
        var adjusted = Holm.Adjust([0.01, double.NaN, 0.04]);
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.02, adjusted[0], 1e-15);
        Assert.Equal(0.04, adjusted[2], 1e-15);
    }
}
