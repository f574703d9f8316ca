using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Training.Training;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Cells;

/// <summary>
/// Trains a cell with the TorchSharp training core: resumes from the checkpoint the cell grain acknowledged (or, when
/// that one is gone or damaged, the newest that verifies up to the acknowledged epoch), checkpoints every k epochs
/// under this attempt's name, reports each epoch, and prunes old checkpoints only after the grain accepted a report.
/// </summary>
public sealed partial class TorchCellTrainer(DataCache data, CheckpointRetention checkpoints, CheckpointLoader loader, ILogger<TorchCellTrainer> logger) : ICellTrainer
{
    public AttemptResult Train(AttemptContext attempt, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            return TrainAttempt(attempt, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGTERM or Ctrl-C while a checkpoint was being saved, loaded or pruned (or retried): a drain, never a failure.
            return new AttemptResult(AttemptOutcome.HandedBack, "the silo is stopping (during checkpoint storage)");
        }
    }

    private AttemptResult TrainAttempt(AttemptContext attempt, CancellationToken stopping)
    {
        var cell = attempt.Assignment;
        var spec = CellSpecs.ToRunSpec(cell.Spec, threads: null, device: attempt.Slot.Device);
        using var run = TrainingRun.Create(spec, data.Get(spec.Dataset));
        if (attempt.Start.CompletedEpochs > 0) Restore(run, cell, attempt.Start, stopping);

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
            StoredCheckpoint? saved = null;
            if (m.Epoch % cell.CheckpointEveryEpochs == 0 || m.Epoch == spec.Training.Epochs)
                saved = Save(run, cell, attempt.Start.Attempt, stopping);
            var ack = attempt.ReportEpoch(
                new EpochReport(m.Epoch, m.TrainLoss, m.TrainAccuracy, m.TestLoss, m.TestAccuracy, m.LearningRate, m.Seconds, m.SamplesPerSecond),
                saved is null ? null : new CheckpointPointer(saved.Epoch, saved.Location));
            // Fenced off: another attempt owns the cell and its checkpoints now; write and delete nothing more.
            if (!ack.Accepted) return new AttemptResult(AttemptOutcome.Fenced, ack.Reason);
            // A stopping silo hands the cell back at once; the next acknowledged save prunes instead.
            if (saved is not null && !stopping.IsCancellationRequested)
                checkpoints.PruneAsync(cell.SweepName, cell.CellId, saved, cell.KeepCheckpoints, stopping).GetAwaiter().GetResult();
            if (ack.CancelRequested) return new AttemptResult(AttemptOutcome.Cancelled, "the sweep was cancelled");
        }
        return new AttemptResult(AttemptOutcome.Completed);
    }

    private StoredCheckpoint Save(TrainingRun run, CellAssignment cell, int attempt, CancellationToken stopping)
    {
        using var buffer = new MemoryStream();
        run.SaveCheckpoint(buffer);
        return checkpoints.SaveAsync(cell.SweepName, cell.CellId, run.CompletedEpochs, attempt,
            buffer.GetBuffer().AsMemory(0, (int)buffer.Length), stopping).GetAwaiter().GetResult();
    }

    /// <summary>The acknowledged checkpoint, or the newest one up to the acknowledged epoch that verifies; none means training from the start.</summary>
    private void Restore(TrainingRun run, CellAssignment cell, AttemptStart start, CancellationToken stopping)
    {
        var loaded = loader.LoadAsync(cell.SweepName, cell.CellId, start.CompletedEpochs, start.Checkpoint,
            bytes => run.ReadCheckpoint(new MemoryStream(bytes, writable: false)), stopping).GetAwaiter().GetResult();
        if (loaded is null)
        {
            LogNoCheckpoint(logger, cell.CellId, start.CompletedEpochs);
            return;
        }
        run.RestoreCheckpoint(loaded.Value);
        LogRestored(logger, cell.CellId, run.CompletedEpochs, loaded.Stored.Location);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId}: resumed from epoch {Epoch} ({Location})")]
    private static partial void LogRestored(ILogger logger, string cellId, int epoch, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: no usable checkpoint up to epoch {Epoch}; training from the start")]
    private static partial void LogNoCheckpoint(ILogger logger, string cellId, int epoch);
}
