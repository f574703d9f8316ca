using System.Globalization;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Reports;

/// <summary>
/// Builds a <see cref="SweepReport"/>: groups become rows, rows that differ only in activation share a table, each
/// activation is compared with the baseline of its table, and Holm's adjustment runs over every comparison at once.
/// </summary>
internal static class SweepReportBuilder
{
    public const double Alpha = 0.05;

    private const string Metric = "final test accuracy (%)";

    /// <summary>Every axis a table can differ in besides the model, with its value as the sweep file would write it.</summary>
    private static readonly (string Axis, Func<CellSpec, string> Value)[] Axes =
    [
        ("dataset", s => DatasetText(s.Dataset)),
        ("width multiplier", s => Number(s.WidthMultiplier)),
        ("depth", s => Number(s.Depth)),
        ("width", s => Number(s.Width)),
        ("epochs", s => Number(s.Epochs)),
        ("batch size", s => Number(s.BatchSize)),
        ("optimizer", s => s.Optimizer),
        ("learning rate", s => Number(s.LearningRate)),
        ("momentum", s => Number(s.Momentum)),
        ("nesterov", s => s.Nesterov ? "true" : "false"),
        ("weight decay", s => Number(s.WeightDecay)),
        ("schedule", s => s.Schedule),
        ("warm-up epochs", s => Number(s.WarmupEpochs)),
        ("label smoothing", s => Number(s.LabelSmoothing)),
        ("augment", s => s.Augment ? "true" : "false"),
        ("step epochs", s => Number(s.StepEpochs)),
        ("step gamma", s => Number(s.StepGamma)),
    ];

    public static SweepReport Build(SweepStatus status, IReadOnlyList<GroupStatistics> groups)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(groups);
        if (!status.Exists)
            throw new ArgumentException($"sweep '{status.Name}' does not exist in the cluster, so there is nothing to report: check the name with 'cos status'", nameof(status));
        var spec = status.Spec;
        var notes = new List<string>();

        var placed = groups.Where(g => g.Spec is not null).ToList();
        foreach (var unplaced in groups.Where(g => g.Spec is null))
            notes.Add($"Group {unplaced.GroupId} came without its configuration and is left out; ask the cluster for the sweep's statistics again.");

        var written = (spec?.Activations ?? []).Where(a => a is not null).ToList();
        var activationOrder = written.Select(ActivationNames.Key).Distinct().ToList();
        var baselineKey = spec?.BaselineActivation is { } b ? ActivationNames.Key(b) : null;
        var baselineDisplay = spec?.BaselineActivation is { } bw ? ActivationNames.Display(bw, bw) : null;
        if (baselineKey is null)
            notes.Add("The sweep names no baseline activation, so nothing is compared: set baseline_activation in the sweep file and report again.");

        var unfinished = status.Cells
            .Where(c => c.Status is CellStatus.Pending or CellStatus.Running)
            .GroupBy(c => c.GroupId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var unfinishedTotal = unfinished.Values.Sum();
        if (unfinishedTotal > 0)
            notes.Add($"{unfinishedTotal} of {status.Cells.Count} cells are still pending or running: this report counts finished cells only.");
        var cancelled = status.Count(CellStatus.Cancelled);
        if (cancelled > 0)
            notes.Add($"{cancelled} of {status.Cells.Count} cells were cancelled and are not counted.");

        var varying = Axes.Where(axis => placed.Select(g => axis.Value(g.Spec!)).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        var shared = placed.Count == 0 ? [] : Axes.Except(varying)
            .Select(axis => new ReportSetting(axis.Axis, axis.Value(placed[0].Spec!)))
            .Where(setting => Informative(setting, placed[0].Spec!))
            .ToList();
        var modelOrder = (spec?.Models ?? []).Select(m => m.Trim().ToLowerInvariant()).ToList();

        var drafts = placed
            .GroupBy(g => g.Spec! with { Activation = "", Seed = 0 })
            .Select((table, appearance) => (Table: table, Appearance: appearance, ModelIndex: IndexOrEnd(modelOrder, table.Key.Model.Trim().ToLowerInvariant())))
            .OrderBy(t => t.ModelIndex).ThenBy(t => t.Appearance)
            .Select(t => Draft(t.Table.Key, [.. t.Table], varying, spec, written, activationOrder, baselineKey, unfinished))
            .ToList();

        // Holm over every comparison of the report that has a Welch p: one family, so "better" anywhere is controlled.
        var comparisons = drafts.SelectMany(d => d.Comparisons).ToList();
        var holm = Holm.Adjust([.. comparisons.Select(c => c.Welch.P)]);
        var finished = comparisons.Select((c, i) => Decide(c, holm[i])).ToList();
        var next = 0;
        var tables = drafts.Select(d =>
        {
            var own = finished.GetRange(next, d.Comparisons.Count);
            next += d.Comparisons.Count;
            return d with { Comparisons = own };
        }).ToList();

        var method = new ReportMethod(
            Metric, Alpha,
            VerdictTest: "Welch's t-test (two-sided), its p adjusted by Holm–Bonferroni",
            Correction: "Holm–Bonferroni over every comparison in the report with a computable Welch p",
            Comparisons: holm.Count(p => !double.IsNaN(p)),
            Bootstrap.DefaultResamples, Bootstrap.DefaultSeed, PowerAnalysis.DefaultPower);
        return new SweepReport(status.Name, baselineDisplay, method, shared, tables, notes);
    }

    private static ReportTable Draft(
        CellSpec key, List<GroupStatistics> groups, List<(string Axis, Func<CellSpec, string> Value)> varying, SweepSpec? spec,
        List<string> written, List<string> activationOrder, string? baselineKey, Dictionary<string, int> unfinished)
    {
        var model = (spec?.Models ?? []).FirstOrDefault(m => string.Equals(m.Trim(), key.Model.Trim(), StringComparison.OrdinalIgnoreCase))?.Trim() ?? key.Model;
        var settings = varying.Select(axis => new ReportSetting(axis.Axis, axis.Value(key))).ToList();
        var title = settings.Count == 0 ? model : $"{model} — {string.Join(", ", settings.Select(s => $"{s.Axis} {s.Value}"))}";

        var rows = groups
            .Select(g => Row(g, written, baselineKey, unfinished))
            .OrderBy(r => IndexOrEnd(activationOrder, ActivationNames.Key(r.Activation)))
            .ThenBy(r => r.Activation, StringComparer.Ordinal)
            .ToList();

        if (baselineKey is null) return new ReportTable(title, model, settings, rows, [], null);
        var baseline = groups.FirstOrDefault(g => ActivationNames.Key(g.Spec!.Activation) == baselineKey);
        if (baseline is null)
            return new ReportTable(title, model, settings, rows, [], "The baseline has no cells in this table, so nothing here is compared with it.");
        var baselineRow = rows.First(r => r.GroupId == baseline.GroupId);
        var comparisons = rows.Where(r => !r.IsBaseline).Select(r => Compare(r, baselineRow)).ToList();
        return new ReportTable(title, model, settings, rows, comparisons, null);
    }

    private static ActivationRow Row(GroupStatistics group, List<string> written, string? baselineKey, Dictionary<string, int> unfinished)
    {
        var activation = group.Spec!.Activation;
        var key = ActivationNames.Key(activation);
        var seeds = group.Cells
            .Where(c => c.Outcome == AttemptEnd.Completed && c.Final is not null)
            .Select(c => new SeedResult(c.Seed, 100 * c.Final!.TestAccuracy, c.Final.TestLoss, c.Epochs.Average(e => e.Seconds)))
            .ToList();
        var accuracy = group.FinalTestAccuracy;
        return new ActivationRow(
            activation,
            ActivationNames.Display(activation, written.FirstOrDefault(w => ActivationNames.Key(w) == key)),
            key == baselineKey,
            group.GroupId,
            accuracy?.N ?? 0,
            group.Diverged,
            group.Failed,
            unfinished.GetValueOrDefault(group.GroupId),
            Spread(group.EpochSeconds, 1),
            Spread(group.FinalTestLoss, 1),
            Spread(accuracy, 100),
            accuracy is null ? new Interval(double.NaN, double.NaN) : new Interval(100 * accuracy.ConfidenceLow, 100 * accuracy.ConfidenceHigh),
            seeds);
    }

    private static MeanAndSpread Spread(Summary? summary, double scale) =>
        summary is null ? new MeanAndSpread(double.NaN, double.NaN) : new MeanAndSpread(scale * summary.Mean, scale * summary.StandardDeviation);

    /// <summary>Everything but the Holm p and the verdict, which need the whole report.</summary>
    private static BaselineComparison Compare(ActivationRow candidate, ActivationRow baseline)
    {
        var a = candidate.Seeds.Select(s => s.TestAccuracy).ToList();
        var b = baseline.Seeds.Select(s => s.TestAccuracy).ToList();
        var baselineBySeed = baseline.Seeds.ToDictionary(s => s.Seed);
        var pairs = candidate.Seeds.Where(s => baselineBySeed.ContainsKey(s.Seed)).ToList();
        var effect = EffectSizes.CohensD(a, b);
        return new BaselineComparison(
            candidate.Activation, candidate.DisplayName, baseline.DisplayName, a.Count, b.Count,
            a.Count == 0 || b.Count == 0 ? double.NaN : a.Average() - b.Average(),
            effect,
            TTests.Welch(a, b),
            TTests.Paired([.. pairs.Select(s => s.TestAccuracy)], [.. pairs.Select(s => baselineBySeed[s.Seed].TestAccuracy)]),
            Bootstrap.MeanDifference(a, b),
            EffectSizes.ProbabilityOfImprovement(a, b),
            double.NaN, Verdict.NotTestable, "", PowerAnalysis.SeedsPerGroup(effect));
    }

    private static BaselineComparison Decide(BaselineComparison c, double holmP)
    {
        if (c.Welch.NotComputable is { } reason)
        {
            var why = c.N < 2 || c.BaselineN < 2
                ? string.Join("; ", new[] { (c.DisplayName, c.N), (c.Baseline, c.BaselineN) }.Where(s => s.Item2 < 2).Select(s => $"{s.Item1} has {Seeds(s.Item2)}"))
                  + " completed; a test needs at least 2 on each side"
                : reason;
            return c with { HolmP = holmP, Verdict = Verdict.NotTestable, VerdictText = $"not testable: {why}" };
        }
        if (holmP <= Alpha)
            return c.MeanDifference > 0
                ? c with { HolmP = holmP, Verdict = Verdict.Better, VerdictText = "better" }
                : c with { HolmP = holmP, Verdict = Verdict.Worse, VerdictText = "worse" };
        var n = c.N == c.BaselineN ? Number(c.N) : $"{Number(c.N)} vs {Number(c.BaselineN)}";
        return c with { HolmP = holmP, Verdict = Verdict.NoSignificantDifference, VerdictText = $"no significant difference at n = {n}" };
    }

    // A model's default shape and the step schedule's settings under another schedule say nothing about the runs.
    private static bool Informative(ReportSetting setting, CellSpec spec) =>
        setting.Value != "default" && (setting.Axis is not ("step epochs" or "step gamma") || spec.Schedule == "step");

    private static string Seeds(int n) => n == 1 ? "1 seed" : $"{Number(n)} seeds";

    private static int IndexOrEnd(List<string> order, string value)
    {
        var index = order.IndexOf(value);
        return index < 0 ? int.MaxValue : index;
    }

    private static string DatasetText(DatasetSpec dataset)
    {
        var details = new List<string>();
        if (dataset.TrainPerClass is { } train) details.Add($"{Number(train)} train per class");
        if (dataset.TestPerClass is { } test) details.Add($"{Number(test)} test per class");
        if ((dataset.TrainPerClass ?? dataset.TestPerClass) is not null) details.Add($"subset seed {Number(dataset.SubsetSeed)}");
        if (dataset.Path is { } path) details.Add(path);
        return details.Count == 0 ? dataset.Name : $"{dataset.Name} ({string.Join(", ", details)})";
    }

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "default";

    private static string Number(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "default";
}
