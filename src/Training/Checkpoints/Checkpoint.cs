using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Checkpoints;

/// <summary>
/// The complete state of a run after an epoch: enough to continue it in fresh objects and end exactly where an
/// uninterrupted run ends. Model and optimiser state are TorchSharp's own binary encodings. No generator state:
/// every random draw after initialisation comes from generators seeded by the run's seed and the epoch.
/// </summary>
public sealed record Checkpoint(
    string Fingerprint,
    int Epoch,
    IReadOnlyList<EpochMetrics> Metrics,
    byte[] ModelState,
    byte[] OptimizerState);
