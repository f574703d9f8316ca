namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Where checkpoints live: one per (sweep, cell, epoch). Implementations: <see cref="FileCheckpointStore"/>
/// (embedded mode) and <see cref="BlobCheckpointStore"/> (cluster mode).
/// </summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Writes a checkpoint's bytes for (sweep, cell, epoch), replacing one already there, and returns its
    /// location. Atomic: a reader never sees a half-written checkpoint under the final name.
    /// </summary>
    Task<string> SaveAsync(string sweep, string cellId, int epoch, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>The cell's checkpoints, newest epoch first; empty when it has none.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ListAsync(string sweep, string cellId, CancellationToken ct);

    /// <summary>The bytes at a location from <see cref="SaveAsync"/>; FileNotFoundException when it is gone.</summary>
    Task<byte[]> ReadAsync(string location, CancellationToken ct);

    /// <summary>Deletes the checkpoint at a location; deleting one that is already gone is not an error.</summary>
    Task DeleteAsync(string location, CancellationToken ct);
}

public sealed record StoredCheckpoint(int Epoch, string Location, long Bytes);
