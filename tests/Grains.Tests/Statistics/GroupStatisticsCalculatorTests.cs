using System.Text.Json;
using System.Text.Json.Serialization;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Statistics;
using CoS.Distributed.Grains.Tests.Sweeps;

namespace CoS.Distributed.Grains.Tests.Statistics;

public sealed class GroupStatisticsCalculatorTests
{
    private static EpochReport Epoch(int epoch, double accuracy, double loss, double seconds) =>
        new(epoch, TrainLoss: loss + 0.1, TrainAccuracy: accuracy - 0.05, TestLoss: loss, TestAccuracy: accuracy, LearningRate: 0.1, seconds, SamplesPerSecond: 1000);

    private static CellResult Completed(long seed, params EpochReport[] epochs) => new($"cell-{seed}", seed, AttemptEnd.Completed, epochs, null);

    // Three completed seeds with hand-picked values, one diverged, one failed, one cancelled; given out of seed order.
    private static List<CellResult> Results() =>
    [
        Completed(3, Epoch(1, 0.50, 1.20, 10), Epoch(2, 0.70, 0.90, 12), Epoch(3, 0.80, 0.70, 14)),
        new("cell-5", 5, AttemptEnd.Failed, [], "CUDA out of memory"),
        Completed(1, Epoch(1, 0.55, 1.10, 11), Epoch(2, 0.72, 0.85, 11), Epoch(3, 0.82, 0.65, 11)),
        new("cell-4", 4, AttemptEnd.Diverged, [Epoch(1, 0.10, 2.30, 10), Epoch(2, 0.10, double.NaN, 10)], "loss is NaN at epoch 2"),
        Completed(2, Epoch(1, 0.52, 1.15, 9), Epoch(2, 0.74, 0.80, 13), Epoch(3, 0.84, 0.60, 11)),
        new("cell-6", 6, AttemptEnd.Cancelled, [Epoch(1, 0.51, 1.18, 10)], null),
    ];

    private static void AssertSummary(decimal[] values, Summary? actual, double tolerance = 1e-13)
    {
        Assert.NotNull(actual);
        var (low, high) = DecimalReference.Interval(values, DecimalReference.T975With2Df);
        Assert.Equal(values.Length, actual.N);
        Assert.Equal((double)DecimalReference.Mean(values), actual.Mean, tolerance);
        Assert.Equal((double)DecimalReference.SampleVariance(values), actual.Variance, tolerance);
        Assert.Equal((double)DecimalReference.Sqrt(DecimalReference.SampleVariance(values)), actual.StandardDeviation, tolerance);
        Assert.Equal((double)low, actual.ConfidenceLow, 1e-11);
        Assert.Equal((double)high, actual.ConfidenceHigh, 1e-11);
        Assert.Equal((double)values.Min(), actual.Min);
        Assert.Equal((double)values.Max(), actual.Max);
    }

    [Fact]
    public void CountsEachOutcomeAndLeavesCancelledCellsOut()
    {
        var statistics = GroupStatisticsCalculator.Compute("g1", SampleSpecs.Cell() with { Seed = 0 }, Results());
        Assert.Equal("g1", statistics.GroupId);
        Assert.Equal(0, statistics.Spec!.Seed);
        Assert.Equal(3, statistics.Completed);
        Assert.Equal(1, statistics.Diverged);
        Assert.Equal(1, statistics.Failed);
    }

    [Fact]
    public void FinalMetricsOfCompletedCellsAreSummarisedWithTheirTInterval()
    {
        var statistics = GroupStatisticsCalculator.Compute("g1", null, Results());

        // Final test accuracies 0.82, 0.84, 0.80: mean 0.82, variance (0.0004 + 0.0004) / 2 = 0.0004, s = 0.02,
        // interval 0.82 ± t(0.975, 2)·0.02/√3 = 0.82 ± 0.04968275 (t(0.975, 2) = 4.3026527 in closed form).
        AssertSummary([0.82m, 0.84m, 0.80m], statistics.FinalTestAccuracy);
        Assert.Equal(0.82 - 0.04968275, statistics.FinalTestAccuracy!.ConfidenceLow, 1e-8);

        // Final test losses 0.65, 0.60, 0.70: mean 0.65, s = 0.05.
        AssertSummary([0.65m, 0.60m, 0.70m], statistics.FinalTestLoss);
        Assert.Equal(0.05, statistics.FinalTestLoss!.StandardDeviation, 1e-13);

        // Mean seconds per epoch of each cell: 11 (seed 1), 11 (seed 2: 9, 13, 11), 12 (seed 3: 10, 12, 14).
        AssertSummary([11m, 11m, 12m], statistics.EpochSeconds);
        Assert.Equal(1.0 / 3, statistics.EpochSeconds!.Variance, 1e-14);
    }

    [Fact]
    public void CurvesAverageTheCompletedCellsAtEveryEpoch()
    {
        var curves = GroupStatisticsCalculator.Compute("g1", null, Results()).Curves;
        Assert.Equal([1, 2, 3], curves.Select(c => c.Epoch));
        Assert.All(curves, c => Assert.Equal(3, c.N));

        decimal[][] accuracy = [[0.55m, 0.52m, 0.50m], [0.72m, 0.74m, 0.70m], [0.82m, 0.84m, 0.80m]];
        decimal[][] loss = [[1.10m, 1.15m, 1.20m], [0.85m, 0.80m, 0.90m], [0.65m, 0.60m, 0.70m]];
        for (var e = 0; e < 3; e++)
        {
            Assert.Equal((double)DecimalReference.Mean(accuracy[e]), curves[e].TestAccuracyMean, 1e-14);
            Assert.Equal((double)DecimalReference.Sqrt(DecimalReference.SampleVariance(accuracy[e])), curves[e].TestAccuracyStd, 1e-14);
            Assert.Equal((double)DecimalReference.Mean(loss[e]), curves[e].TestLossMean, 1e-14);
            Assert.Equal((double)DecimalReference.Sqrt(DecimalReference.SampleVariance(loss[e])), curves[e].TestLossStd, 1e-14);
        }
        Assert.Equal(0.72, curves[1].TestAccuracyMean, 1e-14);
        Assert.Equal(0.02, curves[1].TestAccuracyStd, 1e-14);
    }

    [Fact]
    public void CurvesCountTheCellsThatReachedEachEpoch()
    {
        var curves = GroupStatisticsCalculator.Compute("g", null,
        [
            Completed(1, Epoch(1, 0.5, 1.0, 1), Epoch(2, 0.6, 0.9, 1), Epoch(3, 0.7, 0.8, 1)),
            Completed(2, Epoch(1, 0.4, 1.2, 1), Epoch(2, 0.8, 0.7, 1)),
        ]).Curves;
        Assert.Equal([2, 2, 1], curves.Select(c => c.N));
        Assert.Equal(0.7, curves[2].TestAccuracyMean);
        Assert.True(double.IsNaN(curves[2].TestAccuracyStd));
    }

    [Fact]
    public void RawCellsAreKeptInSeedOrderWithDivergedAndFailedOnes()
    {
        var cells = GroupStatisticsCalculator.Compute("g1", null, Results()).Cells;
        Assert.Equal([1L, 2, 3, 4, 5], cells.Select(c => c.Seed));
        Assert.Equal("CUDA out of memory", cells[4].Error);
        Assert.Equal(0.84, cells[1].Final!.TestAccuracy);
    }

    [Fact]
    public void ACellPassedTwiceCountsOnceAsItsFirstResult()
    {
        var results = Results();
        results.Add(Completed(1, Epoch(1, 0.99, 0.01, 1)));
        results.Insert(0, results[3] with { Outcome = AttemptEnd.Completed, Epochs = [Epoch(1, 0.2, 0.2, 1)] });
        var statistics = GroupStatisticsCalculator.Compute("g1", null, results);

        Assert.Equal(5, statistics.Cells.Count);
        Assert.Equal(4, statistics.Completed);
        Assert.Equal(0, statistics.Diverged);
        Assert.Equal(0.82, statistics.Cells[0].Final!.TestAccuracy);
        Assert.Equal(0.2, statistics.Cells[3].Final!.TestAccuracy);
    }

    [Fact]
    public void TheOrderResultsArriveInChangesNoNumber()
    {
        // Values whose floating-point sums depend on the order they are added in.
        var results = new[] { 0.1, 0.7, 0.2, 1e-9, 0.3 }
            .Select((accuracy, i) => Completed(i, Epoch(1, accuracy, 1 / (accuracy + 1), accuracy * 3), Epoch(2, accuracy + 0.01, 1 / (accuracy + 2), accuracy * 7)))
            .ToList();
        var options = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var reference = JsonSerializer.Serialize(GroupStatisticsCalculator.Compute("g", null, results), options);

        foreach (var permutation in Permutations(results))
            Assert.Equal(reference, JsonSerializer.Serialize(GroupStatisticsCalculator.Compute("g", null, permutation), options));
    }

    [Fact]
    public void AGroupWithoutCompletedCellsHasCountsButNoSummaries()
    {
        var statistics = GroupStatisticsCalculator.Compute("g", null, Results().Where(r => r.Outcome != AttemptEnd.Completed));
        Assert.Equal(0, statistics.Completed);
        Assert.Equal(1, statistics.Diverged);
        Assert.Equal(1, statistics.Failed);
        Assert.Null(statistics.FinalTestAccuracy);
        Assert.Null(statistics.FinalTestLoss);
        Assert.Null(statistics.EpochSeconds);
        Assert.Empty(statistics.Curves);

        var empty = GroupStatisticsCalculator.Compute("g", null, []);
        Assert.Empty(empty.Cells);
        Assert.Null(empty.FinalTestAccuracy);
    }

    private static IEnumerable<List<T>> Permutations<T>(List<T> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }
}
