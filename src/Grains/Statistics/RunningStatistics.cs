using CoS.Distributed.Grains.Interfaces.Groups;
using MathNet.Numerics.Distributions;

namespace CoS.Distributed.Grains.Statistics;

/// <summary>
/// Count, mean, sample variance, minimum and maximum of a stream of values, by Welford's update: each value moves the
/// mean by its deviation / n, so values near 1e9 that differ in their last digits keep their variance (the
/// textbook Σx² − n·mean² loses it to cancellation).
/// </summary>
public sealed class RunningStatistics
{
    /// <summary>Two-sided coverage of <see cref="ToSummary"/>'s confidence interval.</summary>
    public const double ConfidenceLevel = 0.95;

    private double sumOfSquaredDeviations;

    public int N { get; private set; }

    /// <summary>The mean; NaN before the first value.</summary>
    public double Mean { get; private set; } = double.NaN;

    /// <summary>The smallest value; NaN before the first value.</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>The largest value; NaN before the first value.</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>Sample variance (divisor n − 1); NaN below two values, where it is undefined.</summary>
    public double Variance => N < 2 ? double.NaN : sumOfSquaredDeviations / (N - 1);

    /// <summary>Sample standard deviation; NaN below two values.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    public void Add(double value)
    {
        N++;
        if (N == 1)
        {
            Mean = Min = Max = value;
            return;
        }
        var delta = value - Mean;
        Mean += delta / N;
        sumOfSquaredDeviations += delta * (value - Mean);
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>
    /// The summary with the 95 % Student-t interval mean ± t(0.975, n − 1)·s/√n; null without values. With one value
    /// the variance, standard deviation and interval bounds are NaN: one run says nothing about the spread.
    /// </summary>
    public Summary? ToSummary()
    {
        if (N == 0) return null;
        var low = double.NaN;
        var high = double.NaN;
        if (N >= 2)
        {
            var t = StudentT.InvCDF(0, 1, N - 1, 1 - (1 - ConfidenceLevel) / 2);
            var halfWidth = t * StandardDeviation / Math.Sqrt(N);
            low = Mean - halfWidth;
            high = Mean + halfWidth;
        }
        return new Summary(N, Mean, Variance, StandardDeviation, low, high, Min, Max);
    }
}
