using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Silo.Cells;
using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>The slot's trainer with the real training core and the real file checkpoint store.</summary>
public sealed class TorchCellTrainerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cos-trainer-").FullName;
    private readonly DataCache data = new();

    private static readonly CellAssignment Cell = new("trainer-test", "c0ffee0000000001", "g0ffee0000000001", new CellSpec
    {
        Dataset = new DatasetSpec { Name = "fashion-mnist", TrainPerClass = 40, TestPerClass = 20 },
        Model = "small_cnn",
        Activation = "cos",
        Seed = 5,
        Epochs = 3,
        BatchSize = 32,
        Optimizer = "sgd",
        LearningRate = 0.05,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = "cosine",
        Augment = true,
        StepEpochs = 30,
        StepGamma = 0.1,
    }, 3, 1, 3);

    private static readonly SlotAddress Slot = new("test-silo", 0, "cpu");

    private TorchCellTrainer Trainer(ICheckpointStore store) => new(data, new CheckpointRetention(store, 3), new CheckpointLoader(store), NullLogger<TorchCellTrainer>.Instance);

    private static AttemptContext Attempt(AttemptStart start, List<EpochReport> reports, Func<EpochReport, bool>? afterReport = null) =>
        new(Cell, start, Slot, (epoch, _) =>
        {
            reports.Add(epoch);
            return new ReportAck(true, null, CancelRequested: afterReport?.Invoke(epoch) ?? false);
        });

    [Fact]
    public async Task AResumeFallsBackPastACorruptLatestCheckpointAndEndsWhereAnUninterruptedRunEnds()
    {
        var straightReports = new List<EpochReport>();
        var straight = Trainer(new FileCheckpointStore(Path.Combine(root, "straight")))
            .Train(Attempt(new AttemptStart(true, 1, 0, null, null), straightReports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, straight.Outcome);

        var store = new FileCheckpointStore(Path.Combine(root, "interrupted"));
        var firstReports = new List<EpochReport>();
        using var stop = new CancellationTokenSource();
        var first = Trainer(store).Train(Attempt(new AttemptStart(true, 1, 0, null, null), firstReports, e =>
        {
            if (e.Epoch == 2) stop.Cancel();
            return false;
        }), stop.Token);
        Assert.Equal(AttemptOutcome.HandedBack, first.Outcome);
        Assert.Equal(2, firstReports.Count);

        var stored = await store.ListAsync(Cell.SweepName, Cell.CellId, CancellationToken.None);
        var latest = stored.Single(s => s.Epoch == 2);
        var file = Directory.GetFiles(Path.Combine(root, "interrupted"), "*", SearchOption.AllDirectories).Single(f => f.Contains("000002", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 3] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        Assert.Equal(2, latest.Epoch);

        var resumedReports = new List<EpochReport>();
        var resumed = Trainer(store).Train(Attempt(new AttemptStart(true, 2, 2, new CheckpointPointer(2, latest.Location), null), resumedReports), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Completed, resumed.Outcome);
        // Fell back to epoch 1: epoch 2 is trained again (and comes out the same), then epoch 3.
        Assert.Equal([2, 3], resumedReports.Select(r => r.Epoch));
        Assert.Equal(straightReports[1].TestAccuracy, resumedReports[0].TestAccuracy);
        Assert.Equal(straightReports[2].TestLoss, resumedReports[1].TestLoss);
        Assert.Equal(straightReports[2].TestAccuracy, resumedReports[1].TestAccuracy);
    }

    [Fact]
    public void ACancelledSweepStopsTheAttemptAtTheNextReport()
    {
        var reports = new List<EpochReport>();
        var result = Trainer(new FileCheckpointStore(Path.Combine(root, "cancel")))
            .Train(Attempt(new AttemptStart(true, 1, 0, null, null), reports, _ => true), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Cancelled, result.Outcome);
        Assert.Single(reports);
    }

    [Fact]
    public void AFencedAttemptStopsWithoutAnotherWord()
    {
        var calls = 0;
        var context = new AttemptContext(Cell, new AttemptStart(true, 1, 0, null, null), Slot, (_, _) =>
        {
            calls++;
            return new ReportAck(false, "attempt 1 is stale: the cell is at attempt 2");
        });
        var result = Trainer(new FileCheckpointStore(Path.Combine(root, "fenced"))).Train(context, CancellationToken.None);
        Assert.Equal(AttemptOutcome.Fenced, result.Outcome);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void ADivergingCellEndsDivergedNotFailed()
    {
        var diverging = Cell with { Spec = Cell.Spec with { LearningRate = 1e12, Momentum = 0, Schedule = "constant" } };
        var context = new AttemptContext(diverging, new AttemptStart(true, 1, 0, null, null), Slot, (_, _) => new ReportAck(true, null));
        var result = Trainer(new FileCheckpointStore(Path.Combine(root, "diverge"))).Train(context, CancellationToken.None);
        Assert.Equal(AttemptOutcome.Diverged, result.Outcome);
        Assert.Contains("loss became", result.Detail, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
