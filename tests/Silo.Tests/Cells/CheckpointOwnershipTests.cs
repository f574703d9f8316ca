using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Cells;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>
/// An attempt fenced off while it still runs (its silo was declared dead) against the attempt that replaced it:
/// real training, the real file store, and the cell grain's answers played by <see cref="Reports"/>.
/// </summary>
public sealed class CheckpointOwnershipTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ReportAck Refused = new(false, "attempt 1 is stale: the cell is at attempt 2");

    private readonly TrainerBench bench = new();

    [Fact]
    public async Task AFencedAttemptSavingAnEpochDoesNotReplaceTheCurrentAttemptsCheckpointOfThatEpoch()
    {
        var store = bench.Store("overwrite");
        using var stop = new CancellationTokenSource();
        var current = Reports.AcceptingUntil(1, stop.Cancel);
        bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(2), current), stop.Token);
        var ours = current.Acknowledged.Single();
        var oursBefore = await store.ReadAsync(ours.Location, None);

        // The stale attempt 1 reaches epoch 1 too; the metrics carry the epoch's wall time, so its bytes differ.
        var stale = new Reports { Answer = _ => Refused };
        var fenced = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), stale), None);

        Assert.Equal(AttemptOutcome.Fenced, fenced.Outcome);
        Assert.Equal(oursBefore, await store.ReadAsync(ours.Location, None));
    }

    [Fact]
    public async Task WithKeepOneAStaleAttemptCannotDeleteTheCheckpointTheNewAttemptResumesFrom()
    {
        var store = bench.Store("keep-one");
        var keepOne = TrainerBench.Cell with { KeepCheckpoints = 1 };
        // Attempt 1's epoch 1 is acknowledged; then its silo is declared dead, attempt 2 starts, and attempt 1,
        // still running, saves epoch 2 before the grain refuses its report.
        var stale = new Reports { Answer = e => e.Epoch == 1 ? new ReportAck(true, null) : Refused };
        Assert.Equal(AttemptOutcome.Fenced,
            bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), stale, keepOne), None).Outcome);
        var acknowledged = stale.Acknowledged.Single();

        var resumed = new Reports();
        var result = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(2, 1, acknowledged), resumed, keepOne), None);

        Assert.Equal(AttemptOutcome.Completed, result.Outcome);
        Assert.Equal([2, 3], resumed.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestAccuracy, resumed.All[^1].TestAccuracy);
        // Attempt 2 pruned after its own acknowledged saves: only its last checkpoint is left.
        var left = Assert.Single(await store.ListAsync(keepOne.SweepName, keepOne.CellId, None));
        Assert.Equal((3, resumed.Acknowledged[^1].Location), (left.Epoch, left.Location));
    }

    [Fact]
    public async Task ACheckpointNamedForEpochThreeThatHoldsEpochTwoIsSkippedOnResume()
    {
        var store = bench.Store("misfiled");
        using var stop = new CancellationTokenSource();
        var first = Reports.AcceptingUntil(2, stop.Cancel);
        bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), first), stop.Token);
        var epochTwo = first.Acknowledged.Single(p => p.Epoch == 2);
        var misfiled = epochTwo.Location.Replace("epoch-000002", "epoch-000003", StringComparison.Ordinal);
        File.Move(Path.Combine(store.Root, epochTwo.Location), Path.Combine(store.Root, misfiled));
        Assert.Contains(3, (await store.ListAsync(TrainerBench.Cell.SweepName, TrainerBench.Cell.CellId, None)).Select(s => s.Epoch));

        var resumed = new Reports();
        var result = bench.Trainer(store).Train(
            TrainerBench.Attempt(TrainerBench.Start(2, 3, new CheckpointPointer(3, misfiled)), resumed), None);

        // Epoch 2's real checkpoint is gone and the one named epoch 3 is refused: the resume starts after epoch 1.
        Assert.Equal(AttemptOutcome.Completed, result.Outcome);
        Assert.Equal([2, 3], resumed.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestAccuracy, resumed.All[^1].TestAccuracy);
    }

    [Fact]
    public void AResumeUsesTheCheckpointTheGrainAcknowledgedNotANewerOne()
    {
        var store = bench.Store("pointer");
        var first = new Reports();
        Assert.Equal(AttemptOutcome.Completed,
            bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), first), None).Outcome);

        // The grain holds epoch 2's checkpoint; epoch 3's was written by an attempt whose report it never accepted.
        var resumed = new Reports();
        var result = bench.Trainer(store).Train(
            TrainerBench.Attempt(TrainerBench.Start(2, 3, first.Acknowledged.Single(p => p.Epoch == 2)), resumed), None);

        Assert.Equal(AttemptOutcome.Completed, result.Outcome);
        Assert.Equal([3], resumed.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestLoss, resumed.All[0].TestLoss);
    }

    public void Dispose() => bench.Dispose();
}
