using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace CoS.Distributed.Client.Reports;

/// <summary>A bootstrap confidence interval, or why it could not be computed (then Low and High are NaN).</summary>
public sealed record BootstrapInterval(double Low, double High, double Level, int Resamples, int Seed, string? NotComputable);

/// <summary>
/// Percentile bootstrap of the difference of two means: each resample draws every group with replacement, on its own
/// and at its own size, and the interval is the 2.5th and 97.5th percentiles (linear interpolation, R's type 7) of the
/// resampled differences. The generator is a Mersenne Twister with a fixed seed, so a report is reproducible.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 10_000;

    /// <summary>The generator seed reports use; any fixed value would do, this one is the paper's year.</summary>
    public const int DefaultSeed = 2021;

    public static BootstrapInterval MeanDifference(
        IReadOnlyList<double> candidate, IReadOnlyList<double> baseline,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);
        if (candidate.Count < 2 || baseline.Count < 2)
            return new BootstrapInterval(double.NaN, double.NaN, level, resamples, seed,
                $"needs at least 2 values on each side, has {candidate.Count} and {baseline.Count}");

        var random = new MersenneTwister(seed, threadSafe: false);
        var differences = new double[resamples];
        for (var r = 0; r < resamples; r++)
            differences[r] = ResampledMean(candidate, random) - ResampledMean(baseline, random);
        Array.Sort(differences);
        var tail = (1 - level) / 2;
        return new BootstrapInterval(
            SortedArrayStatistics.QuantileCustom(differences, tail, QuantileDefinition.R7),
            SortedArrayStatistics.QuantileCustom(differences, 1 - tail, QuantileDefinition.R7),
            level, resamples, seed, null);
    }

    private static double ResampledMean(IReadOnlyList<double> values, Random random)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Count; i++) sum += values[random.Next(values.Count)];
        return sum / values.Count;
    }
}
