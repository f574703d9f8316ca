using CoS.Distributed.Training.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoS.Distributed.Silo.Storage;

/// <summary>A checkpoint that was passed over while loading, and why.</summary>
public sealed record SkippedCheckpoint(StoredCheckpoint Stored, string Reason);

/// <summary>The checkpoint a cell resumes from, with the newer ones that were skipped on the way.</summary>
public sealed record LoadedCheckpoint<T>(StoredCheckpoint Stored, T Value, IReadOnlyList<SkippedCheckpoint> Skipped);

/// <summary>
/// Finds the checkpoint a cell resumes from: the newest one at or below the cell's last acknowledged epoch
/// that reads and verifies, falling back to older ones when a newer one is damaged or gone.
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
    /// Loads with <see cref="CheckpointFormat.Read"/>: the hash must match, the fingerprint must be the run's,
    /// and the epoch inside must be the one in the name. Null when no checkpoint qualifies.
    /// </summary>
    public Task<LoadedCheckpoint<Checkpoint>?> LoadAsync(string sweep, string cellId, int maxEpoch, string fingerprint, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        return LoadCoreAsync(sweep, cellId, maxEpoch, (stored, bytes) =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var checkpoint = CheckpointFormat.Read(stream, fingerprint);
            if (checkpoint.Epoch != stored.Epoch)
                throw new CheckpointException(CheckpointProblem.NotACheckpoint,
                    $"the checkpoint stored as epoch {stored.Epoch} holds epoch {checkpoint.Epoch}");
            return checkpoint;
        }, ct);
    }

    /// <summary>
    /// Loads with a caller's reader, which throws <see cref="CheckpointException"/> for bytes it cannot use.
    /// Null when no checkpoint qualifies.
    /// </summary>
    public Task<LoadedCheckpoint<T>?> LoadAsync<T>(string sweep, string cellId, int maxEpoch, Func<byte[], T> read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        return LoadCoreAsync(sweep, cellId, maxEpoch, (_, bytes) => read(bytes), ct);
    }

    private async Task<LoadedCheckpoint<T>?> LoadCoreAsync<T>(
        string sweep, string cellId, int maxEpoch, Func<StoredCheckpoint, byte[], T> read, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEpoch);
        var skipped = new List<SkippedCheckpoint>();
        // Epochs above the last acknowledged one were never confirmed to the cell grain: they may come from a fenced-off attempt.
        foreach (var stored in (await _store.ListAsync(sweep, cellId, ct)).Where(c => c.Epoch <= maxEpoch))
        {
            string reason;
            try
            {
                var value = read(stored, await _store.ReadAsync(stored.Location, ct));
                StorageLog.CheckpointLoaded(_logger, cellId, stored.Location, stored.Epoch);
                return new LoadedCheckpoint<T>(stored, value, skipped);
            }
            catch (CheckpointException e)
            {
                reason = $"{e.Problem}: {e.Message}";
            }
            catch (FileNotFoundException e)
            {
                reason = "deleted while loading: " + e.Message;
            }
            StorageLog.CheckpointSkipped(_logger, stored.Location, stored.Epoch, cellId, reason);
            skipped.Add(new SkippedCheckpoint(stored, reason));
        }
        return null;
    }
}
