using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace CoS.Distributed.Silo.Storage;

/// <summary>
/// Builds Blob service clients from <see cref="StorageOptions"/>: a connection string, or an account URL with
/// DefaultAzureCredential (managed identity, workload identity, az login), so no secret lives in the repo.
/// </summary>
public static class BlobStorageClients
{
    /// <summary>
    /// A client for code that retries through <see cref="StorageResilience"/>: the SDK's own retries are off
    /// so that one policy, not two stacked ones, decides.
    /// </summary>
    public static BlobServiceClient ForResilience(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.Retry.AttemptTimeout;
        return Create(options, clientOptions);
    }

    /// <summary>
    /// A client for code that cannot be wrapped (Orleans' Azure Blob grain storage): the SDK retries with the
    /// same budget, exponential backoff from BaseDelay up to MaxDelay.
    /// </summary>
    public static BlobServiceClient WithSdkRetries(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions();
        var retry = options.Retry;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = retry.BaseDelay;
        clientOptions.Retry.MaxDelay = retry.MaxDelay;
        clientOptions.Retry.NetworkTimeout = retry.AttemptTimeout;
        clientOptions.Retry.MaxRetries = SdkRetriesWithin(retry);
        return Create(options, clientOptions);
    }

    private static BlobServiceClient Create(StorageOptions options, BlobClientOptions clientOptions)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString, clientOptions);
        if (!string.IsNullOrWhiteSpace(options.AccountUrl))
            return new BlobServiceClient(new Uri(options.AccountUrl), new DefaultAzureCredential(), clientOptions);
        throw new InvalidOperationException(
            $"{StorageOptions.SectionName}:ConnectionString and {StorageOptions.SectionName}:AccountUrl are both empty: " +
            "Blob storage needs one; set ConnectionString (Azurite, account key) or AccountUrl (DefaultAzureCredential).");
    }

    /// <summary>How many SDK retries fit in the retry budget when delays double from BaseDelay up to MaxDelay.</summary>
    private static int SdkRetriesWithin(StorageRetryOptions retry)
    {
        var retries = 0;
        var spent = TimeSpan.Zero;
        var delay = retry.BaseDelay;
        while (retries < retry.MaxRetryAttempts && spent < retry.RetryBudget)
        {
            spent += delay;
            retries++;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
        }
        return retries;
    }
}
