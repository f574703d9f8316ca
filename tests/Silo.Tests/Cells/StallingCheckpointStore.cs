using CoS.Distributed.Silo.Storage;

namespace CoS.Distributed.Silo.Tests.Cells;

/// <summary>
/// A real store whose saves or reads can be made to hang until their token is cancelled, the way a checkpoint
/// upload to unreachable storage sits in its retries when the silo is told to stop.
/// </summary>
internal sealed class StallingCheckpointStore(ICheckpointStore inner) : ICheckpointStore
{
    private readonly TaskCompletionSource stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Saves of this epoch hang; null lets every save through.</summary>
    public int? StallSaveOfEpoch { get; init; }

    public bool StallReads { get; init; }

    /// <summary>Completes when a call first hangs.</summary>
    public Task Stalled => stalled.Task;

    public async Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (epoch == StallSaveOfEpoch) await StallAsync(ct);
        return await inner.SaveAsync(sweep, cellId, epoch, attempt, content, ct);
    }

    public Task<IReadOnlyList<StoredCheckpoint>> ListAsync(string sweep, string cellId, CancellationToken ct) =>
        inner.ListAsync(sweep, cellId, ct);

    public async Task<byte[]> ReadAsync(string location, CancellationToken ct)
    {
        if (StallReads) await StallAsync(ct);
        return await inner.ReadAsync(location, ct);
    }

    public Task DeleteAsync(string location, CancellationToken ct) => inner.DeleteAsync(location, ct);

    private async Task StallAsync(CancellationToken ct)
    {
        stalled.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }
}
