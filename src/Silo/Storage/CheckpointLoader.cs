using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Training.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Storage;

/// <summary>A checkpoint that was passed over while loading, and why.</summary>
public sealed record SkippedCheckpoint(StoredCheckpoint Stored, string Reason);

/// <summary>The checkpoint a cell resumes from, with the ones that were skipped on the way.</summary>
public sealed record LoadedCheckpoint(StoredCheckpoint Stored, Checkpoint Value, IReadOnlyList<SkippedCheckpoint> Skipped);

/// <summary>
/// Finds the checkpoint a cell resumes from: the one the cell grain acknowledged (its checkpoint pointer) when it
/// reads and verifies; otherwise the newest checkpoint of any attempt at or below the cell's acknowledged epoch
/// that does. Every checkpoint must hold the epoch its name says.
/// </summary>
public sealed class CheckpointLoader
{
    private readonly ICheckpointStore _store;
    private readonly ILogger _logger;

    public CheckpointLoader(ICheckpointStore store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Loads with <see cref="CheckpointFormat.Read"/>: the hash must match and the fingerprint must be
    /// <paramref name="fingerprint"/>. Null when no checkpoint qualifies.
    /// </summary>
    public Task<LoadedCheckpoint?> LoadAsync(
        string sweep, string cellId, int maxEpoch, CheckpointPointer? acknowledged, string fingerprint, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        return LoadAsync(sweep, cellId, maxEpoch, acknowledged, bytes => CheckpointFormat.Read(new MemoryStream(bytes, writable: false), fingerprint), ct);
    }

    /// <summary>
    /// Loads with a caller's reader (a training run's, which knows its own fingerprints); it throws
    /// <see cref="CheckpointException"/> for bytes it cannot use. Null when no checkpoint qualifies.
    /// </summary>
    public async Task<LoadedCheckpoint?> LoadAsync(
        string sweep, string cellId, int maxEpoch, CheckpointPointer? acknowledged, Func<byte[], Checkpoint> read, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEpoch);
        ArgumentNullException.ThrowIfNull(read);
        var skipped = new List<SkippedCheckpoint>();
        foreach (var stored in await CandidatesAsync(sweep, cellId, maxEpoch, acknowledged, skipped, ct))
        {
            string reason;
            try
            {
                var checkpoint = read(await _store.ReadAsync(stored.Location, ct));
                if (checkpoint.Epoch == stored.Epoch)
                {
                    StorageLog.CheckpointLoaded(_logger, cellId, stored.Location, stored.Epoch);
                    return new LoadedCheckpoint(stored, checkpoint, skipped);
                }
                reason = $"{CheckpointProblem.NotACheckpoint}: the checkpoint stored as epoch {stored.Epoch} holds epoch {checkpoint.Epoch}";
            }
            catch (CheckpointException e)
            {
                reason = $"{e.Problem}: {e.Message}";
            }
            catch (FileNotFoundException e)
            {
                reason = "deleted while loading: " + e.Message;
            }
            Skip(cellId, stored, reason, skipped);
        }
        return null;
    }

    /// <summary>The acknowledged checkpoint first, then every other one up to <paramref name="maxEpoch"/>, newest first.</summary>
    private async Task<IEnumerable<StoredCheckpoint>> CandidatesAsync(
        string sweep, string cellId, int maxEpoch, CheckpointPointer? acknowledged, List<SkippedCheckpoint> skipped, CancellationToken ct)
    {
        // Epochs above the last acknowledged one were never confirmed to the cell grain: they come from a fenced-off attempt.
        var listed = (await _store.ListAsync(sweep, cellId, ct)).Where(c => c.Epoch <= maxEpoch).ToList();
        if (acknowledged is null)
            return listed;
        var pointed = listed.Find(c => c.Location == acknowledged.Location);
        if (pointed is null)
        {
            var missing = new StoredCheckpoint(acknowledged.Epoch, AttemptOf(acknowledged.Location), acknowledged.Location, 0);
            Skip(cellId, missing, $"the checkpoint the cell grain acknowledged is not among the cell's checkpoints up to epoch {maxEpoch}", skipped);
            return listed;
        }
        return listed.Where(c => c != pointed).Prepend(pointed);
    }

    private void Skip(string cellId, StoredCheckpoint stored, string reason, List<SkippedCheckpoint> skipped)
    {
        StorageLog.CheckpointSkipped(_logger, stored.Location, stored.Epoch, cellId, reason);
        skipped.Add(new SkippedCheckpoint(stored, reason));
    }

    private static int AttemptOf(string location) =>
        StorageNames.TryParseCheckpoint(location[(location.LastIndexOf('/') + 1)..], out _, out var attempt) ? attempt : 0;
}
