namespace CoS.Distributed.Grains.Tests.Statistics;

/// <summary>
/// Reference statistics in decimal (28 significant digits), written out from the textbook formulas, to check the
/// double-precision code against numbers computed another way.
/// </summary>
internal static class DecimalReference
{
    public static decimal Mean(IReadOnlyList<decimal> values) => values.Sum() / values.Count;

    /// <summary>Σ(x − mean)² / (n − 1).</summary>
    public static decimal SampleVariance(IReadOnlyList<decimal> values)
    {
        var mean = Mean(values);
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    /// <summary>Square root by Newton's iteration until it stops changing.</summary>
    public static decimal Sqrt(decimal value)
    {
        if (value == 0) return 0;
        var root = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 50; i++)
        {
            var next = (root + value / root) / 2;
            if (next == root) break;
            root = next;
        }
        return root;
    }

    /// <summary>mean ± t·s/√n for a given t quantile.</summary>
    public static (decimal Low, decimal High) Interval(IReadOnlyList<decimal> values, decimal t)
    {
        var half = t * Sqrt(SampleVariance(values)) / Sqrt(values.Count);
        return (Mean(values) - half, Mean(values) + half);
    }

    /// <summary>
    /// t(0.975, 2) in closed form: Student's t with 2 degrees of freedom has CDF 1/2 + t / (2·√(2 + t²)), so
    /// F(t) = 0.975 gives t / √(2 + t²) = 0.95 and t = √(2·0.9025 / 0.0975).
    /// </summary>
    public static decimal T975With2Df => Sqrt(2m * 0.9025m / 0.0975m);

    /// <summary>t(0.975, 9) as R prints it with 16 digits: qt(0.975, 9).</summary>
    public const decimal T975With9Df = 2.262157162798205m;
}
