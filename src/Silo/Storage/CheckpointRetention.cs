using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Storage;

/// <summary>Saves checkpoints and keeps only the newest K of each cell.</summary>
public sealed class CheckpointRetention
{
    private readonly ICheckpointStore _store;
    private readonly ILogger _logger;

    public CheckpointRetention(ICheckpointStore store, int keep, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        CheckKeep(keep);
        _store = store;
        Keep = keep;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Checkpoints kept per cell when a call does not say otherwise.</summary>
    public int Keep { get; }

    public Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        SaveAsync(sweep, cellId, epoch, attempt, content, Keep, ct);

    /// <summary>
    /// Saves the checkpoint, then deletes the cell's older ones beyond <paramref name="keep"/>. A failed
    /// deletion is logged, not thrown: the checkpoint is safe and the next save prunes again.
    /// </summary>
    public async Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, int keep, CancellationToken ct)
    {
        CheckKeep(keep);
        var location = await _store.SaveAsync(sweep, cellId, epoch, attempt, content, ct);
        try
        {
            await PruneAsync(sweep, cellId, epoch, keep, ct);
        }
        catch (IOException e)
        {
            StorageLog.CheckpointSkipped(_logger, location, epoch, cellId, "saved, but older checkpoints were not pruned: " + e.Message);
        }
        return location;
    }

    /// <summary>
    /// Deletes the cell's checkpoints older than <paramref name="savedEpoch"/> except the newest keep − 1 of
    /// them; returns what it deleted. Newer epochs are left alone: they belong to a fenced-off attempt and are
    /// overwritten as the current attempt reaches them, and counting them could delete the checkpoint just saved.
    /// </summary>
    public async Task<IReadOnlyList<StoredCheckpoint>> PruneAsync(string sweep, string cellId, int savedEpoch, int keep, CancellationToken ct)
    {
        CheckKeep(keep);
        var older = (await _store.ListAsync(sweep, cellId, ct)).Where(c => c.Epoch < savedEpoch).Skip(keep - 1).ToList();
        foreach (var checkpoint in older)
        {
            await _store.DeleteAsync(checkpoint.Location, ct);
            StorageLog.CheckpointPruned(_logger, checkpoint.Location, checkpoint.Epoch, cellId, keep);
        }
        return older;
    }

    private static void CheckKeep(int keep)
    {
        if (keep < 1)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "a cell keeps at least its latest checkpoint; use 1 or more");
    }
}
