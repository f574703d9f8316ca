namespace CoS.Distributed.Client.Reports;

/// <summary>How large a difference between two groups of per-seed values is, beyond whether it is significant.</summary>
public static class EffectSizes
{
    /// <summary>
    /// P(A &gt; B): the share of all (candidate seed, baseline seed) pairs in which the candidate's value is higher,
    /// a tie counting ½ — the common-language effect size, Mann–Whitney's U / (n₁·n₂), as Bouthillier et al. (2021)
    /// use it. 0.5 is no tendency either way; NaN when a side is empty.
    /// </summary>
    public static double ProbabilityOfImprovement(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count == 0 || baseline.Count == 0) return double.NaN;
        var wins = 0.0;
        foreach (var a in candidate)
            foreach (var b in baseline)
                wins += a > b ? 1 : a == b ? 0.5 : 0;
        return wins / ((double)candidate.Count * baseline.Count);
    }

    /// <summary>
    /// Cohen's d: mean(candidate) − mean(baseline) over the pooled sample standard deviation. NaN below two values on
    /// a side or without spread, where it is unknown.
    /// </summary>
    public static double CohensD(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        int n1 = candidate.Count, n2 = baseline.Count;
        if (n1 < 2 || n2 < 2) return double.NaN;
        var (mean1, variance1) = TTests.MeanAndVariance(candidate);
        var (mean2, variance2) = TTests.MeanAndVariance(baseline);
        var pooled = ((n1 - 1) * variance1 + (n2 - 1) * variance2) / (n1 + n2 - 2);
        return pooled == 0 ? double.NaN : (mean1 - mean2) / Math.Sqrt(pooled);
    }
}
