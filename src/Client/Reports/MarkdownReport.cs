using System.Text;

namespace CoS.Distributed.Client.Reports;

/// <summary>The report as Markdown: per table the activations, then the comparisons with the baseline, then a legend.</summary>
internal static class MarkdownReport
{
    public static string Render(SweepReport report)
    {
        var md = new StringBuilder();
        md.Append("# Sweep report: ").AppendLine(Cell(report.SweepName)).AppendLine();
        md.Append("Metric compared: ").Append(report.Method.Metric);
        md.Append(report.Baseline is null ? "; no baseline." : $"; baseline: **{Cell(report.Baseline)}**.");
        md.Append(" Verdicts at α = ").Append(ReportText.Fixed(report.Method.Alpha, 2)).Append(" on the Holm-adjusted Welch p, over ")
            .Append(ReportText.Integer(report.Method.Comparisons)).AppendLine(report.Method.Comparisons == 1 ? " comparison." : " comparisons.");
        if (report.SharedSettings.Count > 0)
            md.AppendLine().Append("Every table: ").Append(string.Join(", ", report.SharedSettings.Select(s => $"{s.Axis} {Cell(s.Value)}"))).AppendLine(".");
        foreach (var note in report.Notes) md.AppendLine().Append("> ").AppendLine(note);

        foreach (var table in report.Tables)
        {
            md.AppendLine().Append("## ").AppendLine(Cell(table.Title)).AppendLine();
            md.AppendLine("| activation | n | time / epoch (s) | test loss | test accuracy (%) | 95 % CI of accuracy (%) | diverged | failed | unfinished |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in table.Rows)
            {
                md.Append("| ").Append(Cell(row.DisplayName)).Append(row.IsBaseline ? " (baseline)" : "")
                    .Append(" | ").Append(ReportText.Integer(row.N))
                    .Append(" | ").Append(ReportText.MeanStd(row.EpochSeconds, 2))
                    .Append(" | ").Append(ReportText.MeanStd(row.TestLoss, 4))
                    .Append(" | ").Append(ReportText.MeanStd(row.TestAccuracy, 2))
                    .Append(" | ").Append(ReportText.Range(row.AccuracyInterval.Low, row.AccuracyInterval.High, 2))
                    .Append(" | ").Append(ReportText.Integer(row.Diverged))
                    .Append(" | ").Append(ReportText.Integer(row.Failed))
                    .Append(" | ").Append(ReportText.Integer(row.Unfinished)).AppendLine(" |");
            }
            if (table.Note is not null) md.AppendLine().Append("> ").AppendLine(table.Note);
            if (table.Comparisons.Count == 0) continue;

            md.AppendLine().Append("Compared with ").Append(Cell(table.Comparisons[0].Baseline)).AppendLine(" on test accuracy:").AppendLine();
            md.AppendLine("| activation | Δ accuracy (pp) | Welch p | paired p (pairs) | bootstrap 95 % CI of Δ (pp) | P(improvement) | Holm p | verdict | seeds for 80 % power |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
            foreach (var c in table.Comparisons)
            {
                md.Append("| ").Append(Cell(c.DisplayName))
                    .Append(" | ").Append(ReportText.Signed(c.MeanDifference, 2))
                    .Append(" | ").Append(ReportText.P(c.Welch.P))
                    .Append(" | ").Append(ReportText.P(c.Paired.P)).Append(" (").Append(ReportText.Integer(c.Paired.N1)).Append(')')
                    .Append(" | ").Append(ReportText.Range(c.Bootstrap.Low, c.Bootstrap.High, 2))
                    .Append(" | ").Append(ReportText.Fixed(c.ProbabilityOfImprovement, 2))
                    .Append(" | ").Append(ReportText.P(c.HolmP))
                    .Append(" | ").Append(c.Verdict is Verdict.Better or Verdict.Worse ? $"**{c.VerdictText}**" : Cell(c.VerdictText))
                    .Append(" | ").Append(Cell(c.Power.Text)).AppendLine(" |");
            }
        }

        Legend(md, report.Method);
        return md.ToString();
    }

    private static void Legend(StringBuilder md, ReportMethod method)
    {
        md.AppendLine().AppendLine("## How to read this").AppendLine();
        md.AppendLine("- **n** counts the seeds that completed. Diverged (NaN loss), failed and unfinished runs are listed beside it and are in no mean and no test.");
        md.AppendLine("- **mean ± std** is over seeds (sample standard deviation); time / epoch is each run's mean epoch time; loss and accuracy are from the last epoch.");
        md.AppendLine("- **95 % CI of accuracy**: Student-t interval of the mean, mean ± t(0.975, n − 1)·std/√n.");
        md.AppendLine("- **Δ accuracy**: the activation's mean test accuracy minus the baseline's, in percentage points.");
        md.AppendLine("- **Welch p**: two-sided Welch's t-test on all completed seeds of both (unequal variances allowed).");
        md.AppendLine("- **paired p**: two-sided paired t-test over the seeds both completed (same seed = same initial weights and data order); more sensitive when runs with one seed move together.");
        md.Append("- **bootstrap 95 % CI of Δ**: percentile bootstrap, ").Append(method.BootstrapResamples.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" resamples of each group with replacement, generator seed ").Append(ReportText.Integer(method.BootstrapSeed)).AppendLine(" (the same report gives the same interval).");
        md.AppendLine("- **P(improvement)**: share of all (activation seed, baseline seed) pairs where the activation's accuracy is higher, ties counting ½ — the probability that a random run of it beats a random run of the baseline (Bouthillier et al., 2021). 0.5 is a coin toss.");
        md.Append("- **Holm p**: the Welch p adjusted by Holm–Bonferroni across all ").Append(ReportText.Integer(method.Comparisons))
            .AppendLine(" comparisons of this report, so that the chance of any false verdict stays below α.");
        md.Append("- **verdict**: better or worse when the Holm p ≤ ").Append(ReportText.Fixed(method.Alpha, 2))
            .AppendLine(", by the sign of Δ; otherwise no significant difference at that n, which is not evidence that the two are equal.");
        md.AppendLine("- **seeds for 80 % power**: seeds per activation a two-sided two-sample t-test at α = 0.05 needs to detect the observed difference with 80 % probability (Cohen's d = Δ / pooled std, noncentral t); \"not estimable\" when Δ is 0 or the spread is unknown.");
    }

    /// <summary>Text safe inside a table cell: a pipe would end the cell, a newline the row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
