using System.Globalization;
using System.Text;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// The report as three long CSV files (RFC 4180, invariant culture, full precision, empty where a number is not
/// finite): one row per activation per table, one per comparison, one per completed seed. Each row repeats the
/// model and the varying axes, so the files load into a data frame without joining.
/// </summary>
internal static class CsvReport
{
    public const string ActivationsFile = "report-activations.csv";
    public const string ComparisonsFile = "report-comparisons.csv";
    public const string SeedsFile = "report-seeds.csv";

    public static string Activations(SweepReport report)
    {
        var csv = new StringBuilder();
        Line(csv, [.. Head(report), "activation", "display_name", "is_baseline", "n", "diverged", "failed", "unfinished",
            "epoch_seconds_mean", "epoch_seconds_std", "test_loss_mean", "test_loss_std", "test_accuracy_mean", "test_accuracy_std",
            "test_accuracy_ci_low", "test_accuracy_ci_high"]);
        foreach (var table in report.Tables)
            foreach (var r in table.Rows)
                Line(csv, [.. Keys(report, table), r.Activation, r.DisplayName, Bool(r.IsBaseline), Int(r.N), Int(r.Diverged), Int(r.Failed), Int(r.Unfinished),
                    Num(r.EpochSeconds.Mean), Num(r.EpochSeconds.StandardDeviation), Num(r.TestLoss.Mean), Num(r.TestLoss.StandardDeviation),
                    Num(r.TestAccuracy.Mean), Num(r.TestAccuracy.StandardDeviation), Num(r.AccuracyInterval.Low), Num(r.AccuracyInterval.High)]);
        return csv.ToString();
    }

    public static string Comparisons(SweepReport report)
    {
        var csv = new StringBuilder();
        Line(csv, [.. Head(report), "activation", "display_name", "baseline", "n", "baseline_n", "pairs", "mean_difference", "cohens_d",
            "welch_t", "welch_df", "welch_p", "paired_t", "paired_df", "paired_p", "bootstrap_low", "bootstrap_high",
            "probability_of_improvement", "holm_p", "verdict", "verdict_text", "seeds_for_80_power", "seeds_for_80_power_exact", "not_computable"]);
        foreach (var table in report.Tables)
            foreach (var c in table.Comparisons)
                Line(csv, [.. Keys(report, table), c.Activation, c.DisplayName, c.Baseline, Int(c.N), Int(c.BaselineN), Int(c.Paired.N1),
                    Num(c.MeanDifference), Num(c.EffectSize), Num(c.Welch.T), Num(c.Welch.DegreesOfFreedom), Num(c.Welch.P),
                    Num(c.Paired.T), Num(c.Paired.DegreesOfFreedom), Num(c.Paired.P), Num(c.Bootstrap.Low), Num(c.Bootstrap.High),
                    Num(c.ProbabilityOfImprovement), Num(c.HolmP), c.Verdict.ToString(), c.VerdictText,
                    c.Power.SeedsPerGroup is { } seeds ? Int(seeds) : "", Num(c.Power.SeedsPerGroupExact),
                    string.Join("; ", new[] { c.Welch.NotComputable, c.Paired.NotComputable is { } p ? "paired: " + p : null }.OfType<string>())]);
        return csv.ToString();
    }

    public static string Seeds(SweepReport report)
    {
        var csv = new StringBuilder();
        Line(csv, [.. Head(report), "activation", "seed", "test_accuracy", "test_loss", "epoch_seconds"]);
        foreach (var table in report.Tables)
            foreach (var r in table.Rows)
                foreach (var s in r.Seeds)
                    Line(csv, [.. Keys(report, table), r.Activation, s.Seed.ToString(CultureInfo.InvariantCulture), Num(s.TestAccuracy), Num(s.TestLoss), Num(s.EpochSeconds)]);
        return csv.ToString();
    }

    // Every table has the same varying axes, so the first one names the columns.
    private static IEnumerable<string> Head(SweepReport report) =>
        ["sweep", "model", .. (report.Tables.Count == 0 ? [] : report.Tables[0].Settings.Select(s => Column(s.Axis)))];

    private static IEnumerable<string> Keys(SweepReport report, ReportTable table) => [report.SweepName, table.Model, .. table.Settings.Select(s => s.Value)];

    private static string Column(string axis) => axis.Replace(' ', '_').Replace('-', '_');

    private static string Num(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static void Line(StringBuilder csv, IEnumerable<string> fields) =>
        csv.Append(string.Join(',', fields.Select(Quote))).Append("\r\n");

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
