namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Checkpoints as files: &lt;root&gt;/&lt;sweep&gt;/&lt;cell&gt;/epoch-000012.attempt-0003.ckpt. Each is written to a temp file in
/// the same folder, flushed to disk, then renamed over the final name, so readers see all of it or none.
/// Locations are paths relative to the root, with '/' separators.
/// </summary>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private const string TempSuffix = ".tmp";
    private readonly string _root;

    public FileCheckpointStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    public string Root => _root;

    public async Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var location = CellLocation(sweep, cellId) + "/" + StorageNames.CheckpointFileName(epoch, attempt);
        var path = FullPath(location);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        // A dot-prefixed unique name: never mistaken for a checkpoint, never shared by two writers.
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await stream.WriteAsync(content, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return location;
    }

    public Task<IReadOnlyList<StoredCheckpoint>> ListAsync(string sweep, string cellId, CancellationToken ct)
    {
        var cellLocation = CellLocation(sweep, cellId);
        var folder = new DirectoryInfo(FullPath(cellLocation));
        if (!folder.Exists)
            return Task.FromResult<IReadOnlyList<StoredCheckpoint>>([]);
        var found = new List<StoredCheckpoint>();
        foreach (var file in folder.EnumerateFiles("epoch-*"))
        {
            ct.ThrowIfCancellationRequested();
            if (StorageNames.TryParseCheckpoint(file.Name, out var epoch, out var attempt))
                found.Add(new StoredCheckpoint(epoch, attempt, cellLocation + "/" + file.Name, file.Length));
        }
        found.Sort(StoredCheckpoint.NewestFirst);
        return Task.FromResult<IReadOnlyList<StoredCheckpoint>>(found);
    }

    public async Task<byte[]> ReadAsync(string location, CancellationToken ct)
    {
        var path = FullPath(location);
        try
        {
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Checkpoint '{location}' does not exist under {_root}: it was deleted or never written.", path, e);
        }
    }

    public Task DeleteAsync(string location, CancellationToken ct)
    {
        var path = FullPath(location);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone with its folder: deleting is idempotent.
        }
        return Task.CompletedTask;
    }

    private static string CellLocation(string sweep, string cellId) =>
        StorageNames.Segment(sweep) + "/" + StorageNames.Segment(cellId);

    /// <summary>The file behind a location; a location that would leave the root is refused.</summary>
    private string FullPath(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        var path = Path.GetFullPath(Path.Combine(_root, location));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Checkpoint location '{location}' lies outside the store's root {_root}; pass a location returned by SaveAsync or ListAsync.", nameof(location));
        return path;
    }
}
