using System.Diagnostics;
using Azure.Storage.Blobs;
using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Testing;

namespace CoS.Distributed.Silo.Tests.Storage;

[Collection(SharedAzurite.Name)]
public sealed class BlobCheckpointStoreTests : CheckpointStoreContract
{
    private readonly AzuriteServer _azurite;
    private readonly BlobCheckpointStore _store;

    public BlobCheckpointStoreTests(AzuriteServer azurite)
    {
        _azurite = azurite;
        _azurite.Start();
        _store = BlobCheckpointStore.Create(Options(azurite.ConnectionString));
    }

    protected override ICheckpointStore Store => _store;

    private static StorageOptions Options(string connectionString, StorageRetryOptions? retry = null) => new()
    {
        Kind = StorageKind.AzureBlob,
        ConnectionString = connectionString,
        Retry = retry ?? new StorageRetryOptions(),
    };

    private BlobClient Blob(string location)
    {
        var slash = location.IndexOf('/', StringComparison.Ordinal);
        return new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(location[..slash]).GetBlobClient(location[(slash + 1)..]);
    }

    protected override async Task FlipStoredByteAsync(string location, int offset)
    {
        var blob = Blob(location);
        var bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        bytes[offset] ^= 0xFF;
        await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
    }

    protected override async Task WriteUnattemptedAsync(string sweep, string cellId, int epoch, byte[] content)
    {
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(StorageNames.ContainerName(sweep));
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient($"{StorageNames.Segment(cellId)}/epoch-{epoch:D6}.ckpt").UploadAsync(BinaryData.FromBytes(content), overwrite: true);
    }

    [Fact]
    public async Task Checkpoints_go_to_a_container_per_sweep_and_a_blob_per_cell_epoch_and_attempt()
    {
        var location = await _store.SaveAsync("Paper Protocol", "0a1b2c", 12, 3, new byte[] { 1, 2 }, CancellationToken.None);

        var container = StorageNames.ContainerName("Paper Protocol");
        Assert.Equal(container + "/0a1b2c/epoch-000012.attempt-0003.ckpt", location);
        Assert.True((await Blob(location).ExistsAsync()).Value);
        Assert.True((await new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(container).ExistsAsync()).Value);
    }

    [Fact]
    public async Task A_save_rides_out_storage_down_for_ten_seconds_with_the_default_retries()
    {
        var sweep = NewSweep();
        var before = await _store.SaveAsync(sweep, "cell", 1, 1, RealCheckpoints.Bytes(1), CancellationToken.None);
        var content = RealCheckpoints.Bytes(2, stateBytes: 2 * 1024 * 1024);

        _azurite.Stop();
        var clock = Stopwatch.StartNew();
        var save = _store.SaveAsync(sweep, "cell", 2, 1, content, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.False(save.IsCompleted, "the save must still be retrying while storage is down");
        _azurite.Start();
        var location = await save;
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.InRange(seconds, 10, 10 + new StorageRetryOptions().MaxDelay.TotalSeconds + 5);
        Assert.Equal(content, await _store.ReadAsync(location, CancellationToken.None));
        Assert.Equal(RealCheckpoints.Bytes(1), await _store.ReadAsync(before, CancellationToken.None));
        Assert.Equal([2, 1], (await _store.ListAsync(sweep, "cell", CancellationToken.None)).Select(c => c.Epoch));
    }

    [Fact]
    public async Task A_wrong_account_key_fails_at_once_with_a_message_that_says_what_to_fix()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var store = BlobCheckpointStore.Create(Options(_azurite.ConnectionStringWithKey(wrongKey)));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StorageException>(() => store.SaveAsync(NewSweep(), "cell", 1, 1, new byte[] { 1 }, CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.False(error.RetriesExhausted);
        Assert.Contains("HTTP 403", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_never_comes_back_fails_after_the_retry_budget_naming_the_setting()
    {
        using var nobody = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        nobody.Start();
        var port = ((System.Net.IPEndPoint)nobody.LocalEndpoint).Port;
        nobody.Stop();
        var retry = new StorageRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(400), RetryBudget = TimeSpan.FromSeconds(2) };
        var store = BlobCheckpointStore.Create(Options(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteServer.AccountName};",
            retry));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StorageException>(() => store.ReadAsync("cos-x/cell/epoch-000001.ckpt", CancellationToken.None));

        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 5);
        Assert.True(error.RetriesExhausted);
        Assert.Contains("RetryBudget", error.Message, StringComparison.Ordinal);
        Assert.Contains("attempt", error.Message, StringComparison.Ordinal);
    }
}
