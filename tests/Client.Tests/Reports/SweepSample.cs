using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Grains.Statistics;
using CoS.Distributed.Grains.Sweeps;

namespace CoS.Distributed.Client.Tests.Reports;

/// <summary>How one cell of a sample sweep ended: its outcome and final test accuracy (%), test loss and epoch seconds.</summary>
internal sealed record SampleOutcome(AttemptEnd End, double AccuracyPercent, double Loss = 0.45, double Seconds = 36);

/// <summary>
/// What the cluster would return for a sweep whose cells ended as a test says: the sweep expanded by the real
/// SweepExpansion, every group's statistics from the real GroupStatisticsCalculator, and the sweep's status.
/// </summary>
internal static class SweepSample
{
    public static SweepSpec Spec(IReadOnlyList<string> models, IReadOnlyList<string> activations, string? baseline, int seeds = 5,
        IReadOnlyList<double>? learningRates = null) => new()
        {
            Name = "report-sample",
            Datasets = [new DatasetSpec { Name = "cifar10" }],
            Models = models,
            Activations = activations,
            Seeds = [.. Enumerable.Range(1, seeds).Select(s => (long)s)],
            BaselineActivation = baseline,
            Training = new HyperParameterAxes { Epochs = [2], LearningRates = learningRates ?? [0.1] },
        };

    /// <summary>Runs nothing: each cell ends as <paramref name="outcome"/> says, or stays pending where it returns null.</summary>
    public static (SweepStatus Status, IReadOnlyList<GroupStatistics> Groups) Finish(SweepSpec spec, Func<CellSpec, SampleOutcome?> outcome)
    {
        var cells = SweepExpansion.Expand(spec);
        var results = new Dictionary<string, List<CellResult>>(StringComparer.Ordinal);
        var summaries = new List<CellSummary>();
        foreach (var cell in cells)
        {
            var end = outcome(cell.Spec);
            if (!results.ContainsKey(cell.GroupId)) results[cell.GroupId] = [];
            if (end is null)
            {
                summaries.Add(new CellSummary(cell.CellId, cell.GroupId, CellStatus.Pending, 0, 0, 2, null, null, null, 1));
                continue;
            }
            var epochs = Epochs(end);
            results[cell.GroupId].Add(new CellResult(cell.CellId, cell.Spec.Seed, end.End, epochs, end.End == AttemptEnd.Completed ? null : "it did not complete"));
            var cellStatus = end.End switch
            {
                AttemptEnd.Completed => CellStatus.Completed,
                AttemptEnd.Diverged => CellStatus.Diverged,
                _ => CellStatus.Failed,
            };
            summaries.Add(new CellSummary(cell.CellId, cell.GroupId, cellStatus, 1, epochs.Count, 2, null, null, epochs.LastOrDefault(), 3));
        }
        var groups = cells
            .GroupBy(c => c.GroupId)
            .Select(g => GroupStatisticsCalculator.Compute(g.Key, g.First().Spec with { Seed = 0 }, results[g.Key]))
            .ToList();
        var status = new SweepStatus { Name = spec.Name, Exists = true, Spec = spec, Cells = summaries };
        return (status, groups);
    }

    private static List<EpochReport> Epochs(SampleOutcome end) => end.End switch
    {
        AttemptEnd.Completed =>
        [
            new EpochReport(1, 1.2, 0.6, end.Loss + 0.3, end.AccuracyPercent / 100 - 0.05, 0.1, end.Seconds + 1, 1000),
            new EpochReport(2, 0.8, 0.8, end.Loss, end.AccuracyPercent / 100, 0.05, end.Seconds - 1, 1000),
        ],
        AttemptEnd.Diverged =>
        [
            new EpochReport(1, 2.3, 0.1, 2.3, 0.1, 0.1, end.Seconds, 1000),
            new EpochReport(2, double.NaN, 0.1, double.NaN, 0.1, 0.05, end.Seconds, 1000),
        ],
        _ => [],
    };
}
