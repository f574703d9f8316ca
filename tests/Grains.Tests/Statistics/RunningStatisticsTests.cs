using CoS.Distributed.Grains.Statistics;
using MathNet.Numerics.Distributions;

namespace CoS.Distributed.Grains.Tests.Statistics;

public sealed class RunningStatisticsTests
{
    // Student's sleep data (R's datasets::sleep): extra hours of sleep with drug 1 and drug 2 in the same 10 patients.
    private static readonly double[] Drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    private static readonly double[] Drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    [Fact]
    public void VarianceSurvivesValuesThatCancelInTheTextbookFormula()
    {
        // The example of Wikipedia's "Algorithms for calculating variance": 1e9 + {4, 7, 13, 16} has mean 1e9 + 10
        // and deviations −6, −3, 3, 6, so its sample variance is (36 + 9 + 9 + 36) / 3 = 30.
        double[] values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
        var statistics = new RunningStatistics();
        foreach (var v in values) statistics.Add(v);

        Assert.Equal(4, statistics.N);
        Assert.Equal(1e9 + 10, statistics.Mean);
        Assert.Equal(30, statistics.Variance, 1e-9);
        Assert.Equal(Math.Sqrt(30), statistics.StandardDeviation, 1e-9);
        Assert.Equal(1e9 + 4, statistics.Min);
        Assert.Equal(1e9 + 16, statistics.Max);

        // The textbook Σx² − n·mean² in doubles is far off here: this sample really does tell the methods apart.
        var naive = (values.Sum(v => v * v) - values.Length * Math.Pow(values.Average(), 2)) / (values.Length - 1);
        Assert.True(Math.Abs(naive - 30) > 1, $"the naive variance came out {naive}");
    }

    [Fact]
    public void MeanVarianceAndRangeOfASmallSampleAreExact()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, sample variance 32/7.
        var statistics = new RunningStatistics();
        foreach (var v in new double[] { 2, 4, 4, 4, 5, 5, 7, 9 }) statistics.Add(v);
        Assert.Equal(5, statistics.Mean, 1e-15);
        Assert.Equal(32.0 / 7, statistics.Variance, 1e-14);
        Assert.Equal(2, statistics.Min);
        Assert.Equal(9, statistics.Max);
    }

    [Fact]
    public void NoValuesGiveNoSummary()
    {
        var statistics = new RunningStatistics();
        Assert.Equal(0, statistics.N);
        Assert.True(double.IsNaN(statistics.Mean));
        Assert.Null(statistics.ToSummary());
        Assert.Null(Summaries.Summarise([]));
    }

    [Fact]
    public void OneValueHasAMeanButNoSpreadOrInterval()
    {
        var summary = Summaries.Summarise([0.91])!;
        Assert.Equal(1, summary.N);
        Assert.Equal(0.91, summary.Mean);
        Assert.Equal(0.91, summary.Min);
        Assert.Equal(0.91, summary.Max);
        Assert.True(double.IsNaN(summary.Variance));
        Assert.True(double.IsNaN(summary.StandardDeviation));
        Assert.True(double.IsNaN(summary.ConfidenceLow));
        Assert.True(double.IsNaN(summary.ConfidenceHigh));
    }

    [Fact]
    public void StudentTDistributionMatchesPublishedValues()
    {
        // ENVIRONMENT.md: two-sided p for t = 2.5 with 10 degrees of freedom is 0.0314468 (R: 2*pt(-2.5, 10)).
        Assert.Equal(0.0314468, 2 * (1 - StudentT.CDF(0, 1, 10, 2.5)), 7);
        // Student's t tables: t(0.975, 9) = 2.262157.
        Assert.Equal(2.262157, StudentT.InvCDF(0, 1, 9, 0.975), 6);
        Assert.Equal((double)DecimalReference.T975With9Df, StudentT.InvCDF(0, 1, 9, 0.975), 12);
        Assert.Equal((double)DecimalReference.T975With2Df, StudentT.InvCDF(0, 1, 2, 0.975), 12);
    }

    [Fact]
    public void IntervalOfStudentsSleepDataMatchesRsTTest()
    {
        // R: t.test(sleep$extra[sleep$group == 1]) → mean 0.75, 95 percent confidence interval -0.5297804 2.0297804.
        var summary = Summaries.Summarise(Drug1)!;
        Assert.Equal(10, summary.N);
        Assert.Equal(0.75, summary.Mean, 1e-15);
        Assert.Equal(-0.5297804, summary.ConfidenceLow, 7);
        Assert.Equal(2.0297804, summary.ConfidenceHigh, 7);

        var exact = Drug1.Select(v => (decimal)v).ToList();
        var (low, high) = DecimalReference.Interval(exact, DecimalReference.T975With9Df);
        Assert.Equal((double)DecimalReference.SampleVariance(exact), summary.Variance, 1e-14);
        Assert.Equal((double)DecimalReference.Sqrt(DecimalReference.SampleVariance(exact)), summary.StandardDeviation, 1e-14);
        Assert.Equal((double)low, summary.ConfidenceLow, 1e-11);
        Assert.Equal((double)high, summary.ConfidenceHigh, 1e-11);
        Assert.Equal(-1.6, summary.Min);
        Assert.Equal(3.7, summary.Max);
    }

    [Fact]
    public void IntervalOfThePairedSleepDifferencesMatchesRsPairedTTest()
    {
        // R's ?t.test example, paired: mean difference -1.58, 95 percent confidence interval -2.4598858 -0.7001142.
        var differences = Drug1.Zip(Drug2, (a, b) => a - b).ToList();
        var summary = Summaries.Summarise(differences)!;
        Assert.Equal(-1.58, summary.Mean, 1e-14);
        Assert.Equal(-2.4598858, summary.ConfidenceLow, 7);
        Assert.Equal(-0.7001142, summary.ConfidenceHigh, 7);

        var exact = Drug1.Zip(Drug2, (a, b) => (decimal)a - (decimal)b).ToList();
        var (low, high) = DecimalReference.Interval(exact, DecimalReference.T975With9Df);
        Assert.Equal((double)low, summary.ConfidenceLow, 1e-11);
        Assert.Equal((double)high, summary.ConfidenceHigh, 1e-11);
    }

    [Fact]
    public void EqualValuesHaveZeroSpreadAndAPointInterval()
    {
        var summary = Summaries.Summarise([0.5, 0.5, 0.5])!;
        Assert.Equal(0, summary.Variance);
        Assert.Equal(0.5, summary.ConfidenceLow);
        Assert.Equal(0.5, summary.ConfidenceHigh);
    }
}
