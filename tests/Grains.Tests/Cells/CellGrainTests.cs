using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;

namespace CoS.Distributed.Grains.Tests.Cells;

[Collection(GrainClusterTests.Name)]
public class CellGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task AReportFromAStaleAttemptIsRejectedAndChangesNothing()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var assignment = Samples.Assignment(sweep, id);
        var first = await cell.BeginAttempt(assignment, Samples.Slot("silo-a"));
        Assert.True((await cell.ReportEpoch(first.Attempt, Samples.Epoch(1), new CheckpointPointer(1, "a/1"))).Accepted);

        // silo-a is declared dead; the cell resumes on silo-b while silo-a's worker still runs.
        Assert.True(await cell.SlotLost(Samples.Slot("silo-a"), "test"));
        var second = await cell.BeginAttempt(assignment, Samples.Slot("silo-b"));
        Assert.True(second.Started);
        Assert.Equal(first.Attempt + 1, second.Attempt);
        Assert.Equal(1, second.CompletedEpochs);
        Assert.Equal("a/1", second.Checkpoint!.Location);

        var stale = await cell.ReportEpoch(first.Attempt, Samples.Epoch(2, accuracy: 0.99), new CheckpointPointer(2, "stale"));
        Assert.False(stale.Accepted);
        Assert.Contains("stale", stale.Reason, StringComparison.Ordinal);
        Assert.False((await cell.EndAttempt(first.Attempt, AttemptEnd.Completed, null)).Accepted);

        var snapshot = await cell.GetSnapshot();
        Assert.Equal(CellStatus.Running, snapshot.Status);
        Assert.Equal(1, snapshot.CompletedEpochs);
        Assert.Equal("a/1", snapshot.Checkpoint!.Location);
        Assert.Equal(Samples.Slot("silo-b"), snapshot.Slot);
    }

    [Fact]
    public async Task ACellRunningOnALiveSlotIsNotStartedTwice()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var assignment = Samples.Assignment(sweep, id);
        Assert.True((await cell.BeginAttempt(assignment, Samples.Slot("silo-a"))).Started);
        var second = await cell.BeginAttempt(assignment, Samples.Slot("silo-b"));
        Assert.False(second.Started);
        Assert.Contains("silo-a", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingCellIsRetriedThenEndsFailedWithItsErrorKept()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var assignment = Samples.Assignment(sweep, id, maxAttempts: 2);

        var first = await cell.BeginAttempt(assignment, Samples.Slot());
        var retry = await cell.EndAttempt(first.Attempt, AttemptEnd.Failed, "out of memory");
        Assert.True(retry.Requeue);
        Assert.Equal(CellStatus.Pending, (await cell.GetSnapshot()).Status);

        var second = await cell.BeginAttempt(assignment, Samples.Slot());
        var final = await cell.EndAttempt(second.Attempt, AttemptEnd.Failed, "out of memory again");
        Assert.False(final.Requeue);
        var snapshot = await cell.GetSnapshot();
        Assert.Equal(CellStatus.Failed, snapshot.Status);
        Assert.Contains("out of memory again", snapshot.Error, StringComparison.Ordinal);
        Assert.False((await cell.BeginAttempt(assignment, Samples.Slot())).Started);

        var group = await cluster.Grains.GetGrain<IGroupGrain>(GroupKey.Of(assignment.SweepName, assignment.GroupId)).GetStatistics();
        Assert.Equal(1, group.Failed);
        Assert.Equal(0, group.Completed);
    }

    [Fact]
    public async Task ACompletedCellEntersItsGroupExactlyOnce()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var assignment = Samples.Assignment(sweep, id, seed: 4);
        var attempt = await cell.BeginAttempt(assignment, Samples.Slot());
        for (var e = 1; e <= 3; e++) Assert.True((await cell.ReportEpoch(attempt.Attempt, Samples.Epoch(e, 0.8), null)).Accepted);
        Assert.True((await cell.EndAttempt(attempt.Attempt, AttemptEnd.Completed, null)).Accepted);
        // A retried end (its reply lost) is answered the same way and replays its side effects: still counted once.
        Assert.True((await cell.EndAttempt(attempt.Attempt, AttemptEnd.Completed, null)).Accepted);

        var groupGrain = cluster.Grains.GetGrain<IGroupGrain>(GroupKey.Of(assignment.SweepName, assignment.GroupId));
        var snapshot = await cell.GetSnapshot();
        Assert.False(await groupGrain.Record(assignment.Spec with { Seed = 0 }, new CellResult(id, 4, AttemptEnd.Completed, snapshot.Epochs, null)));
        var group = await groupGrain.GetStatistics();
        Assert.Equal(1, group.Completed);
        Assert.Single(group.Cells);
        Assert.Equal(0.8, group.FinalTestAccuracy!.Mean);
    }

    [Fact]
    public async Task EpochsArriveInOrderAndARepeatedEpochKeepsTheFirstMetrics()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var attempt = await cell.BeginAttempt(Samples.Assignment(sweep, id), Samples.Slot());
        Assert.True((await cell.ReportEpoch(attempt.Attempt, Samples.Epoch(1, 0.6), null)).Accepted);
        Assert.True((await cell.ReportEpoch(attempt.Attempt, Samples.Epoch(1, 0.9), null)).Accepted);

        // An epoch out of order fails the attempt, and the cell is pending again rather than running on a slot that stopped.
        var gap = await cell.ReportEpoch(attempt.Attempt, Samples.Epoch(3, 0.7), null);
        Assert.False(gap.Accepted);
        Assert.True(gap.Requeue);
        var snapshot = await cell.GetSnapshot();
        Assert.Equal(CellStatus.Pending, snapshot.Status);
        Assert.Contains("epoch 3 reported after epoch 1", snapshot.Error, StringComparison.Ordinal);
        Assert.Equal(1, snapshot.CompletedEpochs);
        Assert.Equal(0.6, snapshot.Epochs[0].TestAccuracy);
    }

    [Fact]
    public async Task AHandedBackCellIsPendingAgainWithoutCountingAFailure()
    {
        var (id, sweep) = (Samples.Name("cell"), Samples.Name("sweep"));
        var cell = cluster.Grains.GetGrain<ICellGrain>(CellKey.Of(sweep, id));
        var assignment = Samples.Assignment(sweep, id, maxAttempts: 1);
        var attempt = await cell.BeginAttempt(assignment, Samples.Slot());
        var ack = await cell.EndAttempt(attempt.Attempt, AttemptEnd.HandedBack, null);
        Assert.True(ack.Requeue);
        Assert.True((await cell.BeginAttempt(assignment, Samples.Slot())).Started);
    }
}
