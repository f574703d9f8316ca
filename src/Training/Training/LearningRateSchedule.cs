namespace CoS.Distributed.Training.Training;

/// <summary>
/// The learning rate of each epoch. A pure function of the epoch, so a resumed run needs nothing but the epoch
/// number to continue the schedule where it stopped.
/// </summary>
public sealed class LearningRateSchedule(TrainingOptions options)
{
    /// <summary>Learning rate for a 0-based epoch.</summary>
    public double At(int epoch)
    {
        var baseRate = options.LearningRate;
        var warmup = options.WarmupEpochs;
        if (epoch < warmup) return baseRate * (epoch + 1) / (warmup + 1);
        var e = epoch - warmup;
        var span = Math.Max(1, options.Epochs - warmup);
        return options.Schedule switch
        {
            ScheduleKind.Constant => baseRate,
            ScheduleKind.Cosine => baseRate * 0.5 * (1 + Math.Cos(Math.PI * e / span)),
            ScheduleKind.Step => baseRate * Math.Pow(options.StepGamma, e / options.StepEpochs),
            _ => throw new InvalidOperationException($"unknown schedule {options.Schedule}"),
        };
    }
}
