namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Where checkpoints live: one per (sweep, cell, epoch, attempt), so an attempt that was fenced off but still runs
/// never overwrites the checkpoint of the attempt that replaced it. Implementations: <see cref="FileCheckpointStore"/>
/// (embedded mode) and <see cref="BlobCheckpointStore"/> (cluster mode).
/// </summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Writes an attempt's checkpoint of an epoch, replacing one that attempt already wrote for it, and returns its
    /// location. Atomic: a reader never sees a half-written checkpoint under the final name.
    /// </summary>
    Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>The cell's checkpoints of every attempt, newest first (<see cref="StoredCheckpoint.NewestFirst"/>); empty when it has none.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ListAsync(string sweep, string cellId, CancellationToken ct);

    /// <summary>The bytes at a location from <see cref="SaveAsync"/>; FileNotFoundException when it is gone.</summary>
    Task<byte[]> ReadAsync(string location, CancellationToken ct);

    /// <summary>Deletes the checkpoint at a location; deleting one that is already gone is not an error.</summary>
    Task DeleteAsync(string location, CancellationToken ct);
}

/// <summary>A checkpoint in a store. Attempt is 0 for one saved before checkpoints were named per attempt.</summary>
public sealed record StoredCheckpoint(int Epoch, int Attempt, string Location, long Bytes)
{
    /// <summary>Later epochs first; within an epoch, later attempts first.</summary>
    public static int NewestFirst(StoredCheckpoint a, StoredCheckpoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Epoch != b.Epoch ? b.Epoch.CompareTo(a.Epoch) : b.Attempt.CompareTo(a.Attempt);
    }

    /// <summary>True when this checkpoint comes before <paramref name="other"/>: an earlier epoch, or the same epoch of an earlier attempt.</summary>
    public bool IsOlderThan(StoredCheckpoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return NewestFirst(this, other) > 0;
    }
}
