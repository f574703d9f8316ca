using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;

namespace CoS.Distributed.Grains.Statistics;

/// <summary>A group's statistics from its cells' results: what the group grain answers and reports are built from.</summary>
public static class GroupStatisticsCalculator
{
    /// <summary>
    /// Counts the results by outcome and summarises the completed ones: final test accuracy and loss, mean seconds
    /// per epoch, and the mean and standard deviation of test accuracy and loss at each epoch.
    /// A cell id that appears more than once counts once, as its first result (the group grain's rule: recording a
    /// cell again changes nothing). Cancelled results are not finished runs and are left out. Results are ordered by
    /// seed (then cell id) before anything is added up, so the order they arrive in changes no number.
    /// </summary>
    public static GroupStatistics Compute(string groupId, CellSpec? groupSpec, IEnumerable<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(results);

        var cells = results
            .DistinctBy(r => r.CellId, StringComparer.Ordinal)
            .Where(r => r.Outcome != AttemptEnd.Cancelled)
            .OrderBy(r => r.Seed)
            .ThenBy(r => r.CellId, StringComparer.Ordinal)
            .ToList();
        var completed = cells.Where(r => r.Outcome == AttemptEnd.Completed && r.Epochs.Count > 0).ToList();

        return new GroupStatistics
        {
            GroupId = groupId,
            Spec = groupSpec,
            Completed = cells.Count(r => r.Outcome == AttemptEnd.Completed),
            Diverged = cells.Count(r => r.Outcome == AttemptEnd.Diverged),
            Failed = cells.Count(r => r.Outcome == AttemptEnd.Failed),
            FinalTestAccuracy = Summaries.Summarise(completed.Select(r => r.Final!.TestAccuracy)),
            FinalTestLoss = Summaries.Summarise(completed.Select(r => r.Final!.TestLoss)),
            EpochSeconds = Summaries.Summarise(completed.Select(r => r.Epochs.Average(e => e.Seconds))),
            Curves = Curves(completed),
            Cells = cells,
        };
    }

    private static List<CurvePoint> Curves(List<CellResult> completed)
    {
        if (completed.Count == 0) return [];
        var last = completed.Max(r => r.Epochs.Max(e => e.Epoch));
        var curves = new List<CurvePoint>(last);
        for (var epoch = 1; epoch <= last; epoch++)
        {
            var accuracy = new RunningStatistics();
            var loss = new RunningStatistics();
            foreach (var cell in completed)
            {
                // A resumed cell reports an epoch once; should a list hold it twice, the later report is the one kept.
                var report = cell.Epochs.LastOrDefault(e => e.Epoch == epoch);
                if (report is null) continue;
                accuracy.Add(report.TestAccuracy);
                loss.Add(report.TestLoss);
            }
            if (accuracy.N == 0) continue;
            curves.Add(new CurvePoint(epoch, accuracy.N, accuracy.Mean, accuracy.StandardDeviation, loss.Mean, loss.StandardDeviation));
        }
        return curves;
    }
}
