namespace CoS.Distributed.Silo.Storage;

public enum StorageKind
{
    /// <summary>Checkpoints and grain state under a local data directory (embedded mode).</summary>
    File,

    /// <summary>Checkpoints and grain state in Azure Blob storage (cluster mode, or Azurite).</summary>
    AzureBlob,
}

/// <summary>
/// Where a silo keeps checkpoints and grain state. Bound from the "Storage" configuration section;
/// <see cref="StorageOptionsValidator"/> checks it at start.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageKind Kind { get; set; } = StorageKind.File;

    /// <summary>Data directory of the File kind: checkpoints go to checkpoints/, grain state to grains/.</summary>
    public string? RootDirectory { get; set; }

    /// <summary>AzureBlob with an account key or SAS (Azurite, dev clusters). Never commit one.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>AzureBlob with DefaultAzureCredential, e.g. https://account.blob.core.windows.net.</summary>
    public string? AccountUrl { get; set; }

    /// <summary>Checkpoints kept per cell; older ones are deleted after a successful save.</summary>
    public int KeepCheckpoints { get; set; } = 2;

    public StorageRetryOptions Retry { get; set; } = new();

    public string CheckpointDirectory => Path.Combine(RootDirectory ?? ".", "checkpoints");

    public string GrainDirectory => Path.Combine(RootDirectory ?? ".", "grains");
}

/// <summary>
/// How transient storage errors are retried: exponential backoff with jitter, stopping after
/// <see cref="MaxRetryAttempts"/> retries or once an operation has been failing for <see cref="RetryBudget"/>.
/// The defaults ride out a storage outage of about a minute.
/// </summary>
public sealed class StorageRetryOptions
{
    public int MaxRetryAttempts { get; set; } = 15;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>No retry starts later than this after the operation began; a running attempt is not cut short.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One request's limit; a request that hangs longer counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
