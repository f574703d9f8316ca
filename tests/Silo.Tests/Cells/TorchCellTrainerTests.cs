using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Silo.Cells;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>The slot's trainer with the real training core and the real file checkpoint store.</summary>
public sealed class TorchCellTrainerTests : IDisposable
{
    private readonly TrainerBench bench = new();

    [Fact]
    public async Task AResumeFallsBackPastACorruptLatestCheckpointAndEndsWhereAnUninterruptedRunEnds()
    {
        var straight = TrainerBench.Straight;

        var store = bench.Store("interrupted");
        using var stop = new CancellationTokenSource();
        var firstReports = Reports.AcceptingUntil(2, stop.Cancel);
        var first = bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), firstReports), stop.Token);
        Assert.Equal(AttemptOutcome.HandedBack, first.Outcome);
        Assert.Equal(2, firstReports.All.Count);

        var stored = await store.ListAsync(TrainerBench.Cell.SweepName, TrainerBench.Cell.CellId, CancellationToken.None);
        var latest = stored.Single(s => s.Epoch == 2);
        var file = Path.Combine(store.Root, latest.Location);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 3] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        var resumedReports = new Reports();
        var resumed = bench.Trainer(store).Train(
            TrainerBench.Attempt(TrainerBench.Start(2, 2, new CheckpointPointer(2, latest.Location)), resumedReports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, resumed.Outcome);
        // Fell back to epoch 1: epoch 2 is trained again (and comes out the same), then epoch 3.
        Assert.Equal([2, 3], resumedReports.Epochs);
        Assert.Equal(straight[1].TestAccuracy, resumedReports.All[0].TestAccuracy);
        Assert.Equal(straight[2].TestLoss, resumedReports.All[1].TestLoss);
        Assert.Equal(straight[2].TestAccuracy, resumedReports.All[1].TestAccuracy);
    }

    [Fact]
    public void AResumeOnASlotWithAnotherDeviceContinuesFromTheCheckpoint()
    {
        var store = bench.Store("moved");
        using var stop = new CancellationTokenSource();
        var firstReports = Reports.AcceptingUntil(1, stop.Cancel);
        Assert.Equal(AttemptOutcome.HandedBack,
            bench.Trainer(store).Train(TrainerBench.Attempt(TrainerBench.Start(1), firstReports), stop.Token).Outcome);

        // Another device string this machine can train on; the fingerprint must not depend on it any more than on cuda:N.
        var otherSlot = TrainerBench.Slot with { Silo = "other-silo", Device = "CPU" };
        var resumedReports = new Reports();
        var resumed = bench.Trainer(store).Train(
            TrainerBench.Attempt(TrainerBench.Start(2, 1, firstReports.Acknowledged[^1]), resumedReports, slot: otherSlot), CancellationToken.None);

        Assert.Equal(AttemptOutcome.Completed, resumed.Outcome);
        Assert.Equal([2, 3], resumedReports.Epochs);
        Assert.Equal(TrainerBench.Straight[2].TestAccuracy, resumedReports.All[^1].TestAccuracy);
    }

    [Fact]
    public void ACancelledSweepStopsTheAttemptAtTheNextReport()
    {
        var reports = new Reports { Answer = _ => new ReportAck(true, null, CancelRequested: true) };
        var result = bench.Trainer(bench.Store("cancel")).Train(TrainerBench.Attempt(TrainerBench.Start(1), reports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Cancelled, result.Outcome);
        Assert.Single(reports.All);
    }

    [Fact]
    public void AFencedAttemptStopsWithoutAnotherWord()
    {
        var reports = new Reports { Answer = _ => new ReportAck(false, "attempt 1 is stale: the cell is at attempt 2") };
        var result = bench.Trainer(bench.Store("fenced")).Train(TrainerBench.Attempt(TrainerBench.Start(1), reports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Fenced, result.Outcome);
        Assert.Single(reports.All);
    }

    [Fact]
    public void ADivergingCellEndsDivergedNotFailed()
    {
        var cell = TrainerBench.Cell;
        var diverging = cell with { Spec = cell.Spec with { LearningRate = 1e12, Momentum = 0, Schedule = "constant" } };
        var result = bench.Trainer(bench.Store("diverge")).Train(
            TrainerBench.Attempt(TrainerBench.Start(1), new Reports(), diverging), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Diverged, result.Outcome);
        Assert.Contains("loss became", result.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => bench.Dispose();
}
