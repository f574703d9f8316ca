namespace CoS.Distributed.Training.Training;

public enum OptimizerKind
{
    Sgd,
    Adam,
}

public enum ScheduleKind
{
    Constant,
    Cosine,
    Step,
}

/// <summary>The optimiser, schedule, loss and loop settings of one training run.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum; ignored by Adam.</summary>
    public double Momentum { get; init; } = 0.9;

    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; } = 5e-4;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Epochs of linear warm-up from LearningRate / (WarmupEpochs + 1) to LearningRate.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Step schedule: multiply the rate by StepGamma every StepEpochs epochs.</summary>
    public int StepEpochs { get; init; } = 30;

    public double StepGamma { get; init; } = 0.1;
    public double LabelSmoothing { get; init; }

    /// <summary>Random crop (4-pixel padding) and horizontal flip of training images.</summary>
    public bool Augment { get; init; }

    /// <summary>Torch intra-op threads; null leaves the process setting alone.</summary>
    public int? Threads { get; init; }

    /// <summary>"cpu" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Every problem with these options, each naming the setting and the fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Epochs < 1) problems.Add($"epochs is {Epochs}: give at least 1");
        if (BatchSize < 1) problems.Add($"batch_size is {BatchSize}: give at least 1");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) problems.Add($"learning_rate is {LearningRate}: give a positive number such as 0.1");
        if (Momentum is < 0 or >= 1 || double.IsNaN(Momentum)) problems.Add($"momentum is {Momentum}: give a value in [0, 1)");
        if (Nesterov && (Optimizer != OptimizerKind.Sgd || Momentum == 0)) problems.Add("nesterov needs the sgd optimizer with a momentum above 0");
        if (WeightDecay < 0 || double.IsNaN(WeightDecay)) problems.Add($"weight_decay is {WeightDecay}: give 0 or a positive number");
        if (WarmupEpochs < 0 || WarmupEpochs >= Math.Max(Epochs, 1)) problems.Add($"warmup_epochs is {WarmupEpochs}: give 0 up to epochs - 1");
        if (Schedule == ScheduleKind.Step && StepEpochs < 1) problems.Add($"step_epochs is {StepEpochs}: give at least 1");
        if (Schedule == ScheduleKind.Step && !(StepGamma > 0 && StepGamma <= 1)) problems.Add($"step_gamma is {StepGamma}: give a value in (0, 1]");
        if (LabelSmoothing is < 0 or >= 1 || double.IsNaN(LabelSmoothing)) problems.Add($"label_smoothing is {LabelSmoothing}: give a value in [0, 1)");
        if (Threads is < 1) problems.Add($"threads is {Threads}: give at least 1, or leave it out");
        if (!DeviceName.TryParse(Device, out _)) problems.Add($"device is '{Device}': give 'cpu' or 'cuda:N'");
        return problems;
    }
}
