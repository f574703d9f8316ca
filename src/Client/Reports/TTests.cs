using MathNet.Numerics.Distributions;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// A two-sided t-test: t, degrees of freedom and p, or why it could not be computed (then every number is NaN).
/// N1 and N2 are the values on each side; for a paired test both are the number of pairs.
/// </summary>
public sealed record TTestResult(double T, double DegreesOfFreedom, double P, int N1, int N2, string? NotComputable)
{
    internal static TTestResult Impossible(int n1, int n2, string reason) => new(double.NaN, double.NaN, double.NaN, n1, n2, reason);
}

/// <summary>Welch's and the paired t-test, with p from MathNet's Student t distribution.</summary>
public static class TTests
{
    /// <summary>
    /// Welch's unequal-variance t-test of mean(candidate) − mean(baseline), with the Welch–Satterthwaite degrees of
    /// freedom. Needs at least two values on each side and some spread between them.
    /// </summary>
    public static TTestResult Welch(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        int n1 = candidate.Count, n2 = baseline.Count;
        if (n1 < 2 || n2 < 2)
            return TTestResult.Impossible(n1, n2, $"needs at least 2 values on each side, has {n1} and {n2}");
        var (mean1, variance1) = MeanAndVariance(candidate);
        var (mean2, variance2) = MeanAndVariance(baseline);
        double share1 = variance1 / n1, share2 = variance2 / n2;
        var squaredError = share1 + share2;
        if (squaredError == 0)
            return TTestResult.Impossible(n1, n2, "every value is the same within each side: there is no spread to test against");
        var t = (mean1 - mean2) / Math.Sqrt(squaredError);
        var df = squaredError * squaredError / (share1 * share1 / (n1 - 1) + share2 * share2 / (n2 - 1));
        return new TTestResult(t, df, TwoSidedP(t, df), n1, n2, null);
    }

    /// <summary>
    /// The paired t-test of the differences candidate[i] − baseline[i] (the lists are aligned pair by pair).
    /// Needs at least two pairs whose differences are not all equal.
    /// </summary>
    public static TTestResult Paired(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count != baseline.Count)
            throw new ArgumentException($"a paired test needs aligned pairs, got {candidate.Count} and {baseline.Count} values", nameof(baseline));
        var n = candidate.Count;
        if (n < 2) return TTestResult.Impossible(n, n, $"needs at least 2 seeds completed on both sides, has {n}");
        var differences = candidate.Select((value, i) => value - baseline[i]).ToList();
        var (mean, variance) = MeanAndVariance(differences);
        if (variance == 0)
            return TTestResult.Impossible(n, n, "every pair differs by the same amount: there is no spread to test against");
        var t = mean / Math.Sqrt(variance / n);
        return new TTestResult(t, n - 1, TwoSidedP(t, n - 1), n, n, null);
    }

    // From the lower tail at −|t|: 1 − CDF(|t|) would lose every digit of a p below 1e-16 to cancellation.
    internal static double TwoSidedP(double t, double df) => Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));

    /// <summary>Mean and sample variance (n − 1), in two passes so that values near 88 with small spread keep their digits.</summary>
    internal static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sum = 0.0;
        foreach (var value in values) sum += (value - mean) * (value - mean);
        return (mean, values.Count < 2 ? double.NaN : sum / (values.Count - 1));
    }
}
