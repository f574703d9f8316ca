namespace CoS.Distributed.Client.Reports;

/// <summary>Holm–Bonferroni step-down adjustment: controls the chance of any false "better" or "worse" in a report.</summary>
public static class Holm
{
    /// <summary>
    /// Adjusted p-values in the input order: the k-th smallest of m p-values is multiplied by m − k + 1, made no
    /// smaller than the one before it, and capped at 1; rejecting where the adjusted p ≤ α is Holm's procedure (as statsmodels decides too).
    /// A NaN (a test that could not be computed) stays NaN and is not counted in m.
    /// </summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var adjusted = Enumerable.Repeat(double.NaN, pValues.Count).ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToList();
        var running = 0.0;
        for (var k = 0; k < order.Count; k++)
        {
            running = Math.Max(running, Math.Min(1, (order.Count - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }
}
