namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>A small grain that persists what a cell grain persists: a status and per-epoch numbers.</summary>
[Alias("cos.tests.IProgressGrain")]
public interface IProgressGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task Record(int epoch, double accuracy);

    [Alias("Read")]
    Task<ProgressState> Read();

    [Alias("Clear")]
    Task Clear();

    [Alias("RecordExists")]
    Task<bool> RecordExists();
}

[GenerateSerializer, Alias("cos.tests.ProgressState")]
public sealed class ProgressState
{
    [Id(0)] public string Status { get; set; } = "pending";
    [Id(1)] public List<double> Accuracies { get; set; } = [];
    [Id(2)] public Dictionary<int, DateTimeOffset> Finished { get; set; } = [];
}

public sealed class ProgressGrain([PersistentState("progress", ProgressGrain.Storage)] IPersistentState<ProgressState> progress)
    : Grain, IProgressGrain
{
    public const string Storage = "files";

    public async Task Record(int epoch, double accuracy)
    {
        progress.State.Status = "running";
        progress.State.Accuracies.Add(accuracy);
        progress.State.Finished[epoch] = new DateTimeOffset(2025, 1, 1, 0, 0, epoch, TimeSpan.Zero);
        await progress.WriteStateAsync();
    }

    public Task<ProgressState> Read() => Task.FromResult(progress.State);

    public Task Clear() => progress.ClearStateAsync();

    public Task<bool> RecordExists() => Task.FromResult(progress.RecordExists);
}
