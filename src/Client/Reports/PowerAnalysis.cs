using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// Seeds per group a comparison needs: the smallest n at which a two-sided two-sample t-test at α detects the observed
/// standardised effect d with the target power. SeedsPerGroupExact is the continuous solution (statsmodels'
/// solve_power gives the same number); SeedsPerGroup is it rounded up, at least 2; null when not estimable.
/// </summary>
public sealed record PowerEstimate(double EffectSize, double SeedsPerGroupExact, int? SeedsPerGroup, string Text);

/// <summary>Power of the two-sample t-test with equal groups, from the noncentral t distribution.</summary>
public static class PowerAnalysis
{
    public const double DefaultAlpha = 0.05;
    public const double DefaultPower = 0.8;

    /// <summary>Beyond this many seeds per group the answer is given as "more than …": no sweep runs that many.</summary>
    public const int MaxSeeds = 1_000_000;

    /// <summary>
    /// Power of the two-sided two-sample t-test with <paramref name="seedsPerGroup"/> values in each group at effect
    /// size d (difference of means over the common standard deviation): df = 2n − 2, noncentrality d·√(n/2).
    /// </summary>
    public static double Power(double effectSize, double seedsPerGroup, double alpha = DefaultAlpha)
    {
        var df = 2 * seedsPerGroup - 2;
        var noncentrality = Math.Abs(effectSize) * Math.Sqrt(seedsPerGroup / 2);
        var critical = StudentT.InvCDF(0, 1, df, 1 - alpha / 2);
        return NoncentralStudentT.SF(critical, df, noncentrality) + NoncentralStudentT.CDF(-critical, df, noncentrality);
    }

    /// <summary>
    /// Seeds per group for <paramref name="power"/> at effect size d. An effect of 0 or NaN (no difference, or a
    /// standard deviation that could not be computed) is not estimable: no number of seeds is enough, or none is known.
    /// </summary>
    public static PowerEstimate SeedsPerGroup(double effectSize, double alpha = DefaultAlpha, double power = DefaultPower)
    {
        var d = Math.Abs(effectSize);
        if (double.IsNaN(d) || d == 0)
            return new PowerEstimate(effectSize, double.NaN, null, double.IsNaN(d) ? "not estimable (no spread known)" : "not estimable (no difference)");
        if (double.IsInfinity(d)) return new PowerEstimate(effectSize, 2, 2, "2");

        double Shortfall(double n) => Power(d, n, alpha) - power;
        if (Shortfall(2) >= 0) return new PowerEstimate(effectSize, 2, 2, "2");
        double low = 2, high = 4;
        while (Shortfall(high) < 0)
        {
            if (high >= MaxSeeds)
                return new PowerEstimate(effectSize, double.PositiveInfinity, null, $"more than {MaxSeeds.ToString("N0", CultureInfo.InvariantCulture)}");
            low = high;
            high = Math.Min(high * 2, MaxSeeds);
        }
        var exact = Brent.FindRoot(Shortfall, low, high, accuracy: 1e-12, maxIterations: 200);
        var seeds = (int)Math.Ceiling(exact);
        return new PowerEstimate(effectSize, exact, seeds, seeds.ToString(CultureInfo.InvariantCulture));
    }
}
