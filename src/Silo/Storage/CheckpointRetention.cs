using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Saves checkpoints and keeps K per cell. A save never deletes anything: only the owner of the cell's current
/// attempt prunes, and only once the cell grain accepted the report that carried its checkpoint — so an attempt
/// fenced off while it still runs cannot delete the checkpoint the attempt that replaced it resumes from.
/// </summary>
public sealed partial class CheckpointRetention
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

    /// <summary>Saves an attempt's checkpoint of an epoch. Prunes nothing: the cell grain has not acknowledged it yet.</summary>
    public async Task<StoredCheckpoint> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var location = await _store.SaveAsync(sweep, cellId, epoch, attempt, content, ct);
        return new StoredCheckpoint(epoch, attempt, location, content.Length);
    }

    public Task<IReadOnlyList<StoredCheckpoint>> PruneAsync(string sweep, string cellId, StoredCheckpoint acknowledged, CancellationToken ct) =>
        PruneAsync(sweep, cellId, acknowledged, Keep, ct);

    /// <summary>
    /// Call once the cell grain accepted the report of <paramref name="acknowledged"/>: deletes the cell's checkpoints
    /// older than it (<see cref="StoredCheckpoint.IsOlderThan"/>) beyond the newest keep − 1 of them, and returns what it
    /// deleted. Never the acknowledged one, never a later one: a later epoch is a fenced-off attempt's that got further
    /// (pruned once the cell passes it), a later attempt of the same epoch means this caller is itself fenced off. A
    /// storage failure is logged, not thrown: the checkpoints are safe and the next acknowledged save prunes again.
    /// </summary>
    public async Task<IReadOnlyList<StoredCheckpoint>> PruneAsync(string sweep, string cellId, StoredCheckpoint acknowledged, int keep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(acknowledged);
        CheckKeep(keep);
        var deleted = new List<StoredCheckpoint>();
        try
        {
            var older = (await _store.ListAsync(sweep, cellId, ct)).Where(c => c.IsOlderThan(acknowledged)).Skip(keep - 1);
            foreach (var checkpoint in older)
            {
                await _store.DeleteAsync(checkpoint.Location, ct);
                deleted.Add(checkpoint);
                StorageLog.CheckpointPruned(_logger, checkpoint.Location, checkpoint.Epoch, cellId, keep);
            }
        }
        catch (IOException e)
        {
            LogNotPruned(_logger, cellId, acknowledged.Location, e.Message);
        }
        return deleted;
    }

    private static void CheckKeep(int keep)
    {
        if (keep < 1)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "a cell keeps at least its latest checkpoint; use 1 or more");
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Cell {CellId}: checkpoints older than {Location} were not pruned (the next acknowledged save tries again): {Error}")]
    private static partial void LogNotPruned(ILogger logger, string cellId, string location, string error);
}
