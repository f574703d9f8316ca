using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// The noncentral t distribution, which MathNet.Numerics 5 does not have. T = (Z + δ) / √(V/ν) with Z standard
/// normal and V χ²(ν), so P(T ≤ x) = ∫ Φ(x·√(v/ν) − δ) f_χ²(v; ν) dv: MathNet's normal CDF and χ² density,
/// integrated by MathNet's adaptive Gauss–Kronrod rule. No series of special functions is written here.
/// </summary>
public static class NoncentralStudentT
{
    private const int Pieces = 16;

    /// <summary>P(T ≤ x) for ν degrees of freedom and noncentrality δ.</summary>
    public static double CDF(double x, double degreesOfFreedom, double noncentrality) =>
        Mixture(degreesOfFreedom, v => Normal.CDF(0, 1, x * Math.Sqrt(v / degreesOfFreedom) - noncentrality));

    /// <summary>P(T &gt; x), integrated directly so that a small upper tail keeps its relative accuracy.</summary>
    public static double SF(double x, double degreesOfFreedom, double noncentrality) =>
        Mixture(degreesOfFreedom, v => Normal.CDF(0, 1, noncentrality - x * Math.Sqrt(v / degreesOfFreedom)));

    private static double Mixture(double df, Func<double, double> probabilityGivenV)
    {
        if (!(df > 0)) throw new ArgumentOutOfRangeException(nameof(df), df, "degrees of freedom must be positive");
        // χ²(ν) has mean ν and standard deviation √(2ν); its right tail is heavier than a normal's for small ν,
        // hence the extra 60 (P(χ²(2) > 86) ≈ 2e-19). Pieces keep the rule's first nodes on the mass when ν is large.
        var spread = Math.Sqrt(2 * df);
        var low = Math.Max(0, df - 12 * spread);
        var high = df + 12 * spread + 60;
        var width = (high - low) / Pieces;
        // The χ² density carries rounding of about 1e-16·ν relative (its logarithm is of order ν): asking for more
        // than that would only subdivide noise.
        var target = Math.Clamp(1e-15 * df, 1e-13, 1e-10);
        var total = 0.0;
        for (var piece = 0; piece < Pieces; piece++)
        {
            double from = low + piece * width, to = from + width;
            // A piece that holds almost none of the χ² mass adds almost nothing, but its relative target is unreachable.
            if (ChiSquared.CDF(df, to) - ChiSquared.CDF(df, from) < 1e-17) continue;
            total += GaussKronrodRule.Integrate(
                v => v <= 0 ? 0 : probabilityGivenV(v) * ChiSquared.PDF(df, v),
                from, to, out _, out _, targetRelativeError: target, maximumDepth: 12);
        }
        return Math.Clamp(total, 0, 1);
    }
}
