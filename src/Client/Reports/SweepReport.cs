using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// What a sweep found: per model (and per value of any other varying axis) a table of the activations, like the
/// paper's Tables 1–3 but over seeds, and each activation compared with the baseline. Numbers that cannot be computed
/// (one seed, no spread) are NaN, and the reason is given beside them.
/// </summary>
public sealed record SweepReport(
    string SweepName,
    string? Baseline,
    ReportMethod Method,
    IReadOnlyList<ReportSetting> SharedSettings,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The report of a sweep from what the cluster returns: its status (for the declared activations, the baseline and
    /// the cells still running) and its groups' statistics with their raw per-seed results.
    /// </summary>
    public static SweepReport Build(SweepStatus status, IReadOnlyList<GroupStatistics> groups) => SweepReportBuilder.Build(status, groups);
}

/// <summary>How the comparisons were made, for the report's legend and for anyone re-checking the numbers.</summary>
public sealed record ReportMethod(
    string Metric,
    double Alpha,
    string VerdictTest,
    string Correction,
    int Comparisons,
    int BootstrapResamples,
    int BootstrapSeed,
    double TargetPower);

/// <summary>One axis of the sweep and its value, such as ("learning rate", "0.05").</summary>
public sealed record ReportSetting(string Axis, string Value);

/// <summary>The activations of one model under one setting of the other varying axes, and their comparisons.</summary>
public sealed record ReportTable(
    string Title,
    string Model,
    IReadOnlyList<ReportSetting> Settings,
    IReadOnlyList<ActivationRow> Rows,
    IReadOnlyList<BaselineComparison> Comparisons,
    string? Note);

/// <summary>Mean and sample standard deviation over seeds; the deviation is NaN with one seed, both NaN with none.</summary>
public sealed record MeanAndSpread(double Mean, double StandardDeviation);

/// <summary>A two-sided interval; both ends NaN where it cannot be computed.</summary>
public sealed record Interval(double Low, double High);

/// <summary>One completed seed's final numbers: test accuracy in %, test loss, mean seconds per epoch.</summary>
public sealed record SeedResult(long Seed, double TestAccuracy, double TestLoss, double EpochSeconds);

/// <summary>
/// One activation of a table: n completed seeds, their time per epoch (s), final test loss and final test accuracy
/// (%) as mean ± std, the 95 % t-interval of the accuracy, and the runs that did not count (diverged, failed,
/// unfinished).
/// </summary>
public sealed record ActivationRow(
    string Activation,
    string DisplayName,
    bool IsBaseline,
    string GroupId,
    int N,
    int Diverged,
    int Failed,
    int Unfinished,
    MeanAndSpread EpochSeconds,
    MeanAndSpread TestLoss,
    MeanAndSpread TestAccuracy,
    Interval AccuracyInterval,
    IReadOnlyList<SeedResult> Seeds);

/// <summary>How the report reads a comparison, from the Holm-adjusted Welch p.</summary>
public enum Verdict
{
    Better,
    Worse,
    NoSignificantDifference,
    NotTestable,
}

/// <summary>
/// An activation against the baseline on final test accuracy: mean difference in percentage points, Welch's test
/// (all seeds), the paired test (seeds both completed), the bootstrap interval of the difference, P(activation &gt;
/// baseline) over all pairs of seeds, the Holm-adjusted Welch p, the verdict and the seeds needed for 80 % power.
/// </summary>
public sealed record BaselineComparison(
    string Activation,
    string DisplayName,
    string Baseline,
    int N,
    int BaselineN,
    double MeanDifference,
    double EffectSize,
    TTestResult Welch,
    TTestResult Paired,
    BootstrapInterval Bootstrap,
    double ProbabilityOfImprovement,
    double HolmP,
    Verdict Verdict,
    string VerdictText,
    PowerEstimate Power);
