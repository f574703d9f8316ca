namespace CoS.Distributed.Training.Training;

/// <summary>What one epoch measured. Epoch is 1-based: the number of epochs completed when it was taken.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double LearningRate,
    double Seconds,
    double SamplesPerSecond);

public enum TrainingOutcome
{
    Completed,
    Diverged,
    Cancelled,
}

/// <summary>One epoch's end: Completed with metrics, or Diverged / Cancelled with a detail.</summary>
public sealed record EpochResult(TrainingOutcome Outcome, EpochMetrics? Metrics, string? Detail)
{
    public static EpochResult Done(EpochMetrics metrics) => new(TrainingOutcome.Completed, metrics, null);

    public static EpochResult Stopped(TrainingOutcome outcome, string detail) => new(outcome, null, detail);
}

/// <summary>How a run ended and every epoch it completed.</summary>
public sealed record TrainingResult(TrainingOutcome Outcome, IReadOnlyList<EpochMetrics> Epochs, string? Detail = null)
{
    public EpochMetrics? Final => Epochs.Count == 0 ? null : Epochs[^1];
}
