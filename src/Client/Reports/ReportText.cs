using System.Globalization;

namespace CoS.Distributed.Client.Reports;

/// <summary>How the Markdown report writes numbers: fixed decimals per quantity, "—" where there is none.</summary>
internal static class ReportText
{
    public const string None = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Fixed(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(Invariant), Invariant) : None;

    public static string Signed(double value, int decimals) =>
        double.IsFinite(value) ? (value > 0 ? "+" : "") + Fixed(value, decimals) : None;

    public static string MeanStd(MeanAndSpread value, int decimals) =>
        !double.IsFinite(value.Mean) ? None
        : double.IsFinite(value.StandardDeviation) ? $"{Fixed(value.Mean, decimals)} ± {Fixed(value.StandardDeviation, decimals)}"
        : Fixed(value.Mean, decimals);

    public static string Range(double low, double high, int decimals) =>
        double.IsFinite(low) && double.IsFinite(high) ? $"[{Fixed(low, decimals)}, {Fixed(high, decimals)}]" : None;

    /// <summary>A p-value: three decimals from 0.001 up, else two significant digits in scientific notation.</summary>
    public static string P(double p) =>
        !double.IsFinite(p) ? None : p >= 0.001 ? p.ToString("0.000", Invariant) : p.ToString("0.0e+00", Invariant);

    public static string Integer(int value) => value.ToString(Invariant);
}
