using System.Diagnostics;

namespace CoS.Distributed.Training.Training;

/// <summary>
/// The training core's spans (train and evaluate within each epoch) on a source of the project's name,
/// "CoS.Distributed", so that one AddSource finds them with the grains' and slots' spans.
/// </summary>
internal static class TrainingTelemetry
{
    public static readonly ActivitySource Source = new("CoS.Distributed");
}
