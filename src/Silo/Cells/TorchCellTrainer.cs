using System.Diagnostics;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Telemetry;
using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Silo.Telemetry;
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
            using var span = CosTelemetry.Source.StartActivity("epoch");
            span?.SetTag(CosTags.Epoch, run.CompletedEpochs + 1);
            var epoch = run.RunEpoch(stopping);
            span?.SetTag(CosTags.Outcome, epoch.Outcome.ToString().ToLowerInvariant());
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
        using var span = CosTelemetry.Source.StartActivity("checkpoint.save");
        var clock = Stopwatch.StartNew();
        using var buffer = new MemoryStream();
        run.SaveCheckpoint(buffer);
        var saved = checkpoints.SaveAsync(cell.SweepName, cell.CellId, run.CompletedEpochs, attempt,
            buffer.GetBuffer().AsMemory(0, (int)buffer.Length), stopping).GetAwaiter().GetResult();
        span?.SetTag(CosTags.Epoch, saved.Epoch);
        span?.SetTag(CosTags.Bytes, buffer.Length);
        span?.SetTag("cos.checkpoint.location", saved.Location);
        CheckpointMetrics.Measured("save", buffer.Length, clock.Elapsed);
        return saved;
    }

    /// <summary>The acknowledged checkpoint, or the newest one up to the acknowledged epoch that verifies; none means training from the start.</summary>
    private void Restore(TrainingRun run, CellAssignment cell, AttemptStart start, CancellationToken stopping)
    {
        using var span = CosTelemetry.Source.StartActivity("checkpoint.load");
        var clock = Stopwatch.StartNew();
        long bytesRead = 0;
        var loaded = loader.LoadAsync(cell.SweepName, cell.CellId, start.CompletedEpochs, start.Checkpoint, bytes =>
        {
            bytesRead = bytes.Length;
            return run.ReadCheckpoint(new MemoryStream(bytes, writable: false));
        }, stopping).GetAwaiter().GetResult();
        if (loaded is null)
        {
            span?.SetTag(CosTags.Epoch, 0);
            LogNoCheckpoint(logger, cell.CellId, start.CompletedEpochs);
            return;
        }
        foreach (var skipped in loaded.Skipped)
            span?.AddEvent(new ActivityEvent("checkpoint skipped", tags: new ActivityTagsCollection { ["cos.checkpoint.location"] = skipped.Stored.Location, ["cos.reason"] = skipped.Reason }));
        run.RestoreCheckpoint(loaded.Value);
        span?.SetTag(CosTags.Epoch, run.CompletedEpochs);
        span?.SetTag(CosTags.Bytes, bytesRead);
        span?.SetTag("cos.checkpoint.location", loaded.Stored.Location);
        CheckpointMetrics.Measured("load", bytesRead, clock.Elapsed);
        LogRestored(logger, cell.CellId, run.CompletedEpochs, loaded.Stored.Location);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId}: resumed from epoch {Epoch} ({Location})")]
    private static partial void LogRestored(ILogger logger, string cellId, int epoch, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: no usable checkpoint up to epoch {Epoch}; training from the start")]
    private static partial void LogNoCheckpoint(ILogger logger, string cellId, int epoch);
}
