using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Training;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Cells;

/// <summary>
/// Trains a cell with the TorchSharp training core: resumes from the newest checkpoint that verifies (at most the
/// epoch the cell grain acknowledged), checkpoints every k epochs, and reports each epoch to the cell grain.
/// </summary>
public sealed partial class TorchCellTrainer(DataCache data, CheckpointRetention checkpoints, CheckpointLoader loader, ILogger<TorchCellTrainer> logger) : ICellTrainer
{
    public AttemptResult Train(AttemptContext attempt, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var cell = attempt.Assignment;
        var spec = CellSpecs.ToRunSpec(cell.Spec, threads: null, device: attempt.Slot.Device);
        using var run = TrainingRun.Create(spec, data.Get(spec.Dataset));
        if (attempt.Start.CompletedEpochs > 0) Restore(run, cell, attempt.Start.CompletedEpochs, stopping);

        while (run.CompletedEpochs < spec.Training.Epochs)
        {
            var epoch = run.RunEpoch(stopping);
            switch (epoch.Outcome)
            {
                case TrainingOutcome.Cancelled:
                    return new AttemptResult(AttemptOutcome.HandedBack, "the silo is stopping");
                case TrainingOutcome.Diverged:
                    return new AttemptResult(AttemptOutcome.Diverged, epoch.Detail);
            }
            var m = epoch.Metrics!;
            CheckpointPointer? pointer = null;
            if (m.Epoch % cell.CheckpointEveryEpochs == 0 || m.Epoch == spec.Training.Epochs)
                pointer = Save(run, cell, m.Epoch, attempt.Start.Attempt, stopping);
            var ack = attempt.ReportEpoch(
                new EpochReport(m.Epoch, m.TrainLoss, m.TrainAccuracy, m.TestLoss, m.TestAccuracy, m.LearningRate, m.Seconds, m.SamplesPerSecond),
                pointer);
            if (!ack.Accepted) return new AttemptResult(AttemptOutcome.Fenced, ack.Reason);
            if (ack.CancelRequested) return new AttemptResult(AttemptOutcome.Cancelled, "the sweep was cancelled");
        }
        return new AttemptResult(AttemptOutcome.Completed);
    }

    private CheckpointPointer Save(TrainingRun run, CellAssignment cell, int epoch, int attempt, CancellationToken stopping)
    {
        using var buffer = new MemoryStream();
        run.SaveCheckpoint(buffer);
        var location = checkpoints.SaveAsync(cell.SweepName, cell.CellId, epoch, attempt, buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
            cell.KeepCheckpoints, stopping).GetAwaiter().GetResult();
        return new CheckpointPointer(epoch, location);
    }

    /// <summary>The newest checkpoint up to the acknowledged epoch that verifies; none means training from the start.</summary>
    private void Restore(TrainingRun run, CellAssignment cell, int acknowledgedEpochs, CancellationToken stopping)
    {
        var loaded = loader.LoadAsync(cell.SweepName, cell.CellId, acknowledgedEpochs, bytes =>
        {
            run.RestoreCheckpoint(new MemoryStream(bytes));
            return run.CompletedEpochs;
        }, stopping).GetAwaiter().GetResult();
        if (loaded is null) LogNoCheckpoint(logger, cell.CellId, acknowledgedEpochs);
        else LogRestored(logger, cell.CellId, loaded.Value, loaded.Stored.Location);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId}: resumed from epoch {Epoch} ({Location})")]
    private static partial void LogRestored(ILogger logger, string cellId, int epoch, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: no usable checkpoint up to epoch {Epoch}; training from the start")]
    private static partial void LogNoCheckpoint(ILogger logger, string cellId, int epoch);
}
