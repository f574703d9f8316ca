namespace CoS.Distributed.Training.Training;

/// <summary>Runs a training run's remaining epochs, reporting each one as it completes.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains until the spec's epoch count, a divergence (NaN or infinite loss) or cancellation.
    /// <paramref name="onEpoch"/> runs after every completed epoch, on the training thread; saving a checkpoint
    /// there is how callers make a run resumable.
    /// </summary>
    public static TrainingResult Train(TrainingRun run, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (run.CompletedEpochs < run.Spec.Training.Epochs)
        {
            var epoch = run.RunEpoch(cancellation);
            if (epoch.Metrics is null) return new TrainingResult(epoch.Outcome, [.. run.History], epoch.Detail);
            onEpoch?.Invoke(epoch.Metrics);
        }
        return new TrainingResult(TrainingOutcome.Completed, [.. run.History]);
    }
}
