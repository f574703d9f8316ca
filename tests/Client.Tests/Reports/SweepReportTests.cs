using System.Text.Json;
using CoS.Distributed.Client.Reports;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Training.Activations;
using static CoS.Distributed.Client.Tests.Reports.StatisticsFixtures;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>The report built from what the cluster returns, checked against SciPy/statsmodels (Fixtures/Statistics/report.json).</summary>
public sealed class SweepReportTests
{
    private static readonly JsonElement Fixture = Load("report.json");

    private static double FixtureAccuracy(CellSpec cell) =>
        Fixture.GetProperty("accuracy").GetProperty(cell.Model).GetProperty(cell.Activation)[(int)cell.Seed - 1].GetDouble();

    /// <summary>The paper's three networks' worth: two models × ReLU, Swish, CoS × 5 seeds, with the fixture's accuracies.</summary>
    internal static SweepReport PaperLikeReport()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["ShuffleNetV2", "SqueezeNet1_1"], ["ReLU", "Swish", "CoS"], baseline: "ReLU"),
            cell => new SampleOutcome(AttemptEnd.Completed, FixtureAccuracy(cell), Loss: 0.46 - cell.Seed * 0.001, Seconds: 36 + cell.Seed));
        return SweepReport.Build(status, groups);
    }

    [Fact]
    public void EveryComparisonMatchesScipyAndHolmRunsOverTheWholeReport()
    {
        var report = PaperLikeReport();
        Assert.Equal(4, report.Method.Comparisons);
        var comparisons = report.Tables.SelectMany(t => t.Comparisons.Select(c => (t.Model, c))).ToList();
        Assert.Equal(4, comparisons.Count);
        foreach (var expected in Fixture.GetProperty("comparisons").EnumerateArray())
        {
            var model = expected.GetProperty("model").GetString()!;
            var activation = expected.GetProperty("activation").GetString()!;
            var (_, c) = comparisons.Single(x => string.Equals(x.Model, model, StringComparison.OrdinalIgnoreCase) && x.c.Activation == activation);
            var what = $"{model}/{activation}";
            Near(expected.GetProperty("welch").GetProperty("p").GetDouble(), c.Welch.P, 1e-9, $"{what} Welch p");
            Near(expected.GetProperty("welch").GetProperty("df").GetDouble(), c.Welch.DegreesOfFreedom, 1e-9, $"{what} Welch df");
            Near(expected.GetProperty("paired").GetProperty("p").GetDouble(), c.Paired.P, 1e-9, $"{what} paired p");
            Near(expected.GetProperty("holmP").GetDouble(), c.HolmP, 1e-9, $"{what} Holm p");
            Assert.Equal(expected.GetProperty("probabilityOfImprovement").GetDouble(), c.ProbabilityOfImprovement, 1e-12);
            Assert.Equal((int)Math.Ceiling(expected.GetProperty("seedsForPower").GetDouble()), c.Power.SeedsPerGroup);
            Assert.Equal(5, c.Paired.N1);
            Assert.InRange(c.MeanDifference, c.Bootstrap.Low, c.Bootstrap.High);
        }
    }

    [Fact]
    public void VerdictsFollowTheHolmAdjustedWelchP()
    {
        var report = PaperLikeReport();
        var verdicts = report.Tables.SelectMany(t => t.Comparisons.Select(c => $"{t.Model} {c.DisplayName}: {c.VerdictText}"));
        // CoS: Welch p 0.0105 and 0.0143, Holm 0.042 and 0.043 ≤ 0.05; Swish: Holm 0.92.
        Assert.Equal(
        [
            "ShuffleNetV2 Swish: no significant difference at n = 5",
            "ShuffleNetV2 CoS: better",
            "SqueezeNet1_1 Swish: no significant difference at n = 5",
            "SqueezeNet1_1 CoS: better",
        ], verdicts);
    }

    [Fact]
    public void TablesArePerModelWithTheDeclaredActivationOrderAndTheSeedStatistics()
    {
        var report = PaperLikeReport();
        Assert.Equal("report-sample", report.SweepName);
        Assert.Equal("ReLU", report.Baseline);
        Assert.Equal(["ShuffleNetV2", "SqueezeNet1_1"], report.Tables.Select(t => t.Title));
        var table = report.Tables[0];
        Assert.Empty(table.Settings);
        Assert.Equal(["ReLU", "Swish", "CoS"], table.Rows.Select(r => r.DisplayName));
        Assert.Equal([true, false, false], table.Rows.Select(r => r.IsBaseline));

        var cos = table.Rows[2];
        double[] accuracies = [88.36, 87.94, 88.21, 87.70, 88.49];
        Assert.Equal(5, cos.N);
        Assert.Equal(accuracies.Average(), cos.TestAccuracy.Mean, 1e-10);
        Assert.Equal(Math.Sqrt(accuracies.Sum(a => (a - accuracies.Average()) * (a - accuracies.Average())) / 4), cos.TestAccuracy.StandardDeviation, 1e-10);
        Assert.InRange(accuracies.Average(), cos.AccuracyInterval.Low, cos.AccuracyInterval.High);
        // Loss 0.46 − seed/1000 for seeds 1..5; each run's epochs take (36 + seed) ± 1 s.
        Assert.Equal(0.457, cos.TestLoss.Mean, 1e-12);
        Assert.Equal(39, cos.EpochSeconds.Mean, 1e-12);
        Assert.Equal([1L, 2, 3, 4, 5], cos.Seeds.Select(s => s.Seed));
        Assert.Equal(accuracies, cos.Seeds.Select(s => Math.Round(s.TestAccuracy, 10)));
        // Model shapes at their default and the step schedule's settings under a cosine schedule are left out.
        Assert.Equal(
            "dataset cifar10, epochs 2, batch size 128, optimizer sgd, learning rate 0.1, momentum 0.9, nesterov false, "
            + "weight decay 0.0005, schedule cosine, warm-up epochs 0, label smoothing 0, augment false",
            string.Join(", ", report.SharedSettings.Select(s => $"{s.Axis} {s.Value}")));
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void DivergedFailedAndUnfinishedRunsAreCountedButNotInTheTests()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["relu", "cos"], baseline: "relu"),
            cell => (cell.Activation, cell.Seed) switch
            {
                ("cos", 4) => new SampleOutcome(AttemptEnd.Diverged, double.NaN),
                ("cos", 5) => new SampleOutcome(AttemptEnd.Failed, double.NaN),
                ("relu", 5) => null,
                _ => new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed * 0.1 + (cell.Activation == "cos" ? 0.05 : 0)),
            });
        var report = SweepReport.Build(status, groups);
        var rows = report.Tables.Single().Rows;
        Assert.Equal((4, 0, 0, 1), (rows[0].N, rows[0].Diverged, rows[0].Failed, rows[0].Unfinished));
        Assert.Equal((3, 1, 1, 0), (rows[1].N, rows[1].Diverged, rows[1].Failed, rows[1].Unfinished));
        var comparison = report.Tables.Single().Comparisons.Single();
        Assert.Equal((3, 4, 3), (comparison.N, comparison.BaselineN, comparison.Paired.N1));
        Assert.Equal("no significant difference at n = 3 vs 4", comparison.VerdictText);
        Assert.Contains("1 of 10 cells are still pending or running", Assert.Single(report.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void OneSeedIsNotTestableSaysWhyAndStaysOutOfTheHolmFamily()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["relu", "swish", "cos"], baseline: "relu", seeds: 3),
            cell => cell.Activation == "cos" && cell.Seed > 1
                ? new SampleOutcome(AttemptEnd.Failed, double.NaN)
                : new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed * 0.2 + (cell.Activation == "swish" ? 0.1 : 0)));
        var report = SweepReport.Build(status, groups);
        var comparisons = report.Tables.Single().Comparisons;
        var cos = comparisons.Single(c => c.Activation == "cos");
        Assert.Equal(Verdict.NotTestable, cos.Verdict);
        Assert.Equal("not testable: CoS has 1 seed completed; a test needs at least 2 on each side", cos.VerdictText);
        Assert.True(double.IsNaN(cos.Welch.P) && double.IsNaN(cos.HolmP) && double.IsNaN(cos.Bootstrap.Low));
        Assert.Equal("not estimable (no spread known)", cos.Power.Text);
        Assert.True(double.IsNaN(report.Tables.Single().Rows.Single(r => r.Activation == "cos").TestAccuracy.StandardDeviation));
        // The family is Swish alone: its Holm p is its Welch p.
        Assert.Equal(1, report.Method.Comparisons);
        var swish = comparisons.Single(c => c.Activation == "swish");
        Assert.Equal(swish.Welch.P, swish.HolmP);
    }

    [Fact]
    public void OtherVaryingAxesSplitTablesAndHolmCoversThemAll()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn", "mlp"], ["relu", "swish"], baseline: "relu", seeds: 3, learningRates: [0.1, 0.05]),
            cell => new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed * 0.3 + (cell.Activation == "swish" ? 0.5 : 0) + cell.LearningRate));
        var report = SweepReport.Build(status, groups);
        Assert.Equal(
            ["small_cnn — learning rate 0.1", "small_cnn — learning rate 0.05", "mlp — learning rate 0.1", "mlp — learning rate 0.05"],
            report.Tables.Select(t => t.Title));
        Assert.All(report.Tables, t => Assert.Equal("learning rate", Assert.Single(t.Settings).Axis));
        Assert.DoesNotContain(report.SharedSettings, s => s.Axis == "learning rate");
        Assert.Equal(4, report.Method.Comparisons);
        var welch = report.Tables.Select(t => t.Comparisons.Single().Welch.P).ToArray();
        Assert.Equal(Holm.Adjust(welch), report.Tables.Select(t => t.Comparisons.Single().HolmP));
    }

    [Fact]
    public void FormulasShowAsWrittenAndAliasesFindTheBaseline()
    {
        const string Formula = "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2";
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["SiLU", Formula], baseline: "silu", seeds: 3),
            cell => new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed * 0.3 + (cell.Activation == "swish" ? 0 : 0.4)));
        var report = SweepReport.Build(status, groups);
        var table = report.Tables.Single();
        Assert.Equal(["Swish", Formula], table.Rows.Select(r => r.DisplayName));
        Assert.Equal("Swish", report.Baseline);
        Assert.Equal(Formula, table.Comparisons.Single().DisplayName);
        Assert.Equal("Swish", table.Comparisons.Single().Baseline);
    }

    [Fact]
    public void WithoutABaselineTheTablesStandAloneAndTheReportSaysHowToAddOne()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["relu", "cos"], baseline: null, seeds: 2),
            cell => new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed));
        var report = SweepReport.Build(status, groups);
        Assert.Null(report.Baseline);
        Assert.Empty(report.Tables.Single().Comparisons);
        Assert.Equal(2, report.Tables.Single().Rows.Count);
        Assert.Contains("baseline_activation", Assert.Single(report.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void ASweepTheClusterDoesNotKnowIsAnErrorNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => SweepReport.Build(new SweepStatus { Name = "quickstrat", Exists = false }, []));
        Assert.StartsWith("sweep 'quickstrat' does not exist in the cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancelledCellsAreNamedInTheNotes()
    {
        var (status, groups) = SweepSample.Finish(
            SweepSample.Spec(["small_cnn"], ["relu", "cos"], baseline: "relu", seeds: 2),
            cell => new SampleOutcome(AttemptEnd.Completed, 90 + cell.Seed));
        var cancelled = status with { Cancelled = true, Cells = [.. status.Cells.Select((c, i) => i == 0 ? c with { Status = CellStatus.Cancelled } : c)] };
        var report = SweepReport.Build(cancelled, groups);
        Assert.Equal("1 of 4 cells were cancelled and are not counted.", Assert.Single(report.Notes));
    }

    [Fact]
    public void TheReportsAliasesAreTheTrainingCoresAliases()
    {
        Assert.Equal(ActivationRegistry.Aliases.OrderBy(a => a.Key), ActivationNames.Aliases.OrderBy(a => a.Key));
    }
}
