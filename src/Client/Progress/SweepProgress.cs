using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Progress;

/// <summary>Counts of cells by state, for the whole sweep or one group.</summary>
public sealed record CellCounts(int Total, int Done, int Running, int Pending, int Failed, int Diverged, int Cancelled, int Epochs, int TotalEpochs)
{
    public static CellCounts Of(IReadOnlyCollection<CellSummary> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        int Count(CellStatus s) => cells.Count(c => c.Status == s);
        // A finished cell's remaining epochs are settled too: they count as done for progress.
        var epochs = cells.Sum(c => c.Status is CellStatus.Pending or CellStatus.Running ? c.CompletedEpochs : c.TotalEpochs);
        return new CellCounts(cells.Count, Count(CellStatus.Completed), Count(CellStatus.Running), Count(CellStatus.Pending),
            Count(CellStatus.Failed), Count(CellStatus.Diverged), Count(CellStatus.Cancelled), epochs, cells.Sum(c => c.TotalEpochs));
    }

    /// <summary>Finished cells of any outcome.</summary>
    public int Finished => Done + Failed + Diverged + Cancelled;

    public double Fraction => TotalEpochs == 0 ? 1 : (double)Epochs / TotalEpochs;

    public override string ToString() =>
        $"{Done}/{Total} done, {Running} running, {Pending} pending" + (Failed > 0 ? $", {Failed} failed" : "")
        + (Diverged > 0 ? $", {Diverged} diverged" : "") + (Cancelled > 0 ? $", {Cancelled} cancelled" : "");
}

/// <summary>
/// What a progress view shows from one poll of the sweep: overall and per-group counts, the running cells with
/// their current epoch, and an estimate of the time left from the epoch rate seen so far in this session.
/// </summary>
public sealed class SweepProgress
{
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    private int? epochsAtStart;
    private IReadOnlyDictionary<string, string>? labels;

    public SweepStatus? Status { get; private set; }
    public CellCounts Overall { get; private set; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);
    public IReadOnlyList<(string Group, string Label, CellCounts Counts)> Groups { get; private set; } = [];

    /// <summary>Null until at least one epoch has finished in this session.</summary>
    public TimeSpan? Remaining { get; private set; }

    public TimeSpan Elapsed => DateTimeOffset.UtcNow - started;

    public void Update(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
        Overall = CellCounts.Of(status.Cells);
        epochsAtStart ??= Overall.Epochs;
        labels ??= status.Spec is null ? new Dictionary<string, string>() : GroupLabels.Of(status.Spec);
        Groups = [.. status.Cells.GroupBy(c => c.GroupId).Select(g => (g.Key, labels.GetValueOrDefault(g.Key, g.Key), CellCounts.Of([.. g])))];
        var gained = Overall.Epochs - epochsAtStart.Value;
        Remaining = gained <= 0 ? null : TimeSpan.FromSeconds(Elapsed.TotalSeconds / gained * (Overall.TotalEpochs - Overall.Epochs));
    }
}
