using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Checkpoints in Azure Blob storage: a container per sweep (<see cref="StorageNames.ContainerName"/>), a
/// blob per cell, epoch and attempt ("&lt;cell&gt;/epoch-000012.attempt-0003.ckpt"). A block blob becomes visible only when its upload
/// commits, which makes saves atomic. Every call goes through <see cref="StorageResilience"/>.
/// Locations are "&lt;container&gt;/&lt;blob name&gt;".
/// </summary>
public sealed class BlobCheckpointStore : ICheckpointStore
{
    private readonly BlobServiceClient _service;
    private readonly StorageResilience _resilience;
    private readonly ConcurrentDictionary<string, bool> _knownContainers = new(StringComparer.Ordinal);

    public BlobCheckpointStore(BlobServiceClient service, StorageResilience resilience)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(resilience);
        _service = service;
        _resilience = resilience;
    }

    /// <summary>A store for the AzureBlob kind of <paramref name="options"/>.</summary>
    public static BlobCheckpointStore Create(StorageOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new BlobCheckpointStore(BlobStorageClients.ForResilience(options), new StorageResilience(options.Retry, logger));
    }

    public async Task<string> SaveAsync(string sweep, string cellId, int epoch, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var containerName = StorageNames.ContainerName(sweep);
        var blobName = StorageNames.Segment(cellId) + "/" + StorageNames.CheckpointFileName(epoch, attempt);
        var location = containerName + "/" + blobName;
        var container = _service.GetBlobContainerClient(containerName);
        var blob = container.GetBlobClient(blobName);
        var data = BinaryData.FromBytes(content);
        await RunAsync($"save of checkpoint {location}", async token =>
        {
            await EnsureContainerAsync(container, token);
            try
            {
                await blob.UploadAsync(data, overwrite: true, token);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                // Deleted behind our back since we created it: create it again and let the retry upload.
                _knownContainers.TryRemove(container.Name, out _);
                throw new IOException($"container {container.Name} disappeared during the upload", e);
            }
            return true;
        }, ct);
        return location;
    }

    public Task<IReadOnlyList<StoredCheckpoint>> ListAsync(string sweep, string cellId, CancellationToken ct)
    {
        var containerName = StorageNames.ContainerName(sweep);
        var prefix = StorageNames.Segment(cellId) + "/";
        var container = _service.GetBlobContainerClient(containerName);
        return RunAsync<IReadOnlyList<StoredCheckpoint>>($"listing of checkpoints under {containerName}/{prefix}", async token =>
        {
            var found = new List<StoredCheckpoint>();
            try
            {
                await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, token))
                {
                    if (StorageNames.TryParseCheckpoint(item.Name[prefix.Length..], out var epoch, out var attempt))
                        found.Add(new StoredCheckpoint(epoch, attempt, containerName + "/" + item.Name, item.Properties.ContentLength ?? 0));
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                return [];
            }
            found.Sort(StoredCheckpoint.NewestFirst);
            return found;
        }, ct);
    }

    public Task<byte[]> ReadAsync(string location, CancellationToken ct)
    {
        var blob = BlobAt(location);
        return RunAsync($"read of checkpoint {location}", async token =>
        {
            try
            {
                var result = await blob.DownloadContentAsync(token);
                return result.Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new FileNotFoundException($"Checkpoint '{location}' does not exist in {_service.Uri}: it was deleted or never written.", location, e);
            }
        }, ct);
    }

    public Task DeleteAsync(string location, CancellationToken ct)
    {
        var blob = BlobAt(location);
        return RunAsync($"delete of checkpoint {location}", async token =>
        {
            try
            {
                await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                // The whole sweep is gone, and the checkpoint with it.
            }
            return true;
        }, ct);
    }

    private async Task EnsureContainerAsync(BlobContainerClient container, CancellationToken ct)
    {
        if (_knownContainers.ContainsKey(container.Name))
            return;
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        _knownContainers.TryAdd(container.Name, true);
    }

    private BlobClient BlobAt(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        var slash = location.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == location.Length - 1)
            throw new ArgumentException($"Checkpoint location '{location}' is not '<container>/<blob>'; pass a location returned by SaveAsync or ListAsync.", nameof(location));
        return _service.GetBlobContainerClient(location[..slash]).GetBlobClient(location[(slash + 1)..]);
    }

    /// <summary>Runs one operation with retries and turns permanent failures into messages that say what to fix.</summary>
    private async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        try
        {
            return await _resilience.ExecuteAsync(what, action, ct);
        }
        catch (RequestFailedException e)
        {
            throw new StorageException($"Blob storage refused the {what} at {_service.Uri}: {Explain(e)}", e, retriesExhausted: false);
        }
        catch (AuthenticationFailedException e)
        {
            throw new StorageException(
                $"The {what} could not get an Azure credential: {StorageResilience.FirstLine(e.Message)}. " +
                "Give the silo a managed or workload identity, sign in with 'az login', or set Storage:ConnectionString instead of Storage:AccountUrl.",
                e, retriesExhausted: false);
        }
    }

    private static string Explain(RequestFailedException e)
    {
        var status = $"HTTP {e.Status} {e.ErrorCode}".TrimEnd();
        return e.Status switch
        {
            401 or 403 => $"{status}. The account refused this client's credentials: check the AccountKey or SAS in " +
                "Storage:ConnectionString, or, with Storage:AccountUrl, give the silo's identity the 'Storage Blob Data Contributor' role.",
            400 when e.ErrorCode == "InvalidHeaderValue" => $"{status}. The service does not accept this client's API version; " +
                "Azurite must be started with --skipApiVersionCheck.",
            _ => $"{status}: {StorageResilience.FirstLine(e.Message)}",
        };
    }
}
