using CoS.Distributed.Silo.Storage;
using CoS.Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>The registrations a silo host uses: storage chosen by <see cref="StorageOptions"/>, File or AzureBlob.</summary>
[Collection(SharedAzurite.Name)]
public sealed class ConfiguredStorageTests(AzuriteServer azurite)
{
    private StorageOptions Options(StorageKind kind, string root) => kind == StorageKind.File
        ? new StorageOptions { Kind = kind, RootDirectory = root }
        : new StorageOptions { Kind = kind, ConnectionString = azurite.ConnectionString };

    [Theory]
    [InlineData(StorageKind.File)]
    [InlineData(StorageKind.AzureBlob)]
    public async Task Grain_state_survives_deactivation_in_either_kind_of_storage(StorageKind kind)
    {
        azurite.Start();
        var root = Directory.CreateTempSubdirectory("cos-configured-").FullName;
        try
        {
            var builder = new InProcessTestClusterBuilder(1);
            builder.ConfigureSilo((_, silo) => silo.AddGrainStorage(ProgressGrain.Storage, Options(kind, root)));
            await using var cluster = builder.Build();
            await cluster.DeployAsync();
            var grain = cluster.Client.GetGrain<IProgressGrain>("configured-" + kind);

            await grain.Record(1, 0.25);
            await cluster.DeactivateAsync(grain);

            Assert.Equal([0.25], (await grain.Read()).Accuracies);
            Assert.Equal(kind == StorageKind.File, Directory.Exists(Path.Combine(root, "grains", "progress")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_grain_state_write_rides_out_blob_storage_down_for_ten_seconds()
    {
        azurite.Start();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddGrainStorage(ProgressGrain.Storage, Options(StorageKind.AzureBlob, "")));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var grain = cluster.Client.GetGrain<IProgressGrain>("outage-" + Guid.NewGuid().ToString("N"));
        await grain.Record(1, 0.5);

        azurite.Stop();
        var write = grain.Record(2, 0.75);
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.False(write.IsCompleted, "the write must still be retrying while storage is down");
        azurite.Start();
        await write;
        await cluster.DeactivateAsync(grain);

        Assert.Equal([0.5, 0.75], (await grain.Read()).Accuracies);
    }

    [Theory]
    [InlineData(StorageKind.File, typeof(FileCheckpointStore))]
    [InlineData(StorageKind.AzureBlob, typeof(BlobCheckpointStore))]
    public async Task Checkpoint_storage_is_registered_from_the_options(StorageKind kind, Type storeType)
    {
        azurite.Start();
        var root = Directory.CreateTempSubdirectory("cos-configured-").FullName;
        try
        {
            var configured = Options(kind, root);
            await using var services = new ServiceCollection().AddLogging().AddCheckpointStorage(o =>
            {
                o.Kind = configured.Kind;
                o.RootDirectory = configured.RootDirectory;
                o.ConnectionString = configured.ConnectionString;
                o.KeepCheckpoints = 1;
            }).BuildServiceProvider();

            Assert.IsType(storeType, services.GetRequiredService<ICheckpointStore>());
            var retention = services.GetRequiredService<CheckpointRetention>();
            await retention.SaveAsync("configured", "cell", 1, 1, RealCheckpoints.Bytes(1), CancellationToken.None);
            var acknowledged = await retention.SaveAsync("configured", "cell", 2, 1, RealCheckpoints.Bytes(2), CancellationToken.None);
            await retention.PruneAsync("configured", "cell", acknowledged, CancellationToken.None);
            var loaded = await services.GetRequiredService<CheckpointLoader>().LoadAsync("configured", "cell", 2, null, RealCheckpoints.Fingerprint, CancellationToken.None);
            Assert.Equal(2, loaded?.Value.Epoch);
            Assert.Single(await services.GetRequiredService<ICheckpointStore>().ListAsync("configured", "cell", CancellationToken.None));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_options_stop_the_store_from_being_built_with_every_problem_listed()
    {
        await using var services = new ServiceCollection().AddCheckpointStorage(o =>
        {
            o.Kind = StorageKind.AzureBlob;
            o.KeepCheckpoints = 0;
        }).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(services.GetRequiredService<ICheckpointStore>);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains("Storage:ConnectionString and Storage:AccountUrl are both empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:KeepCheckpoints is 0", error.Message, StringComparison.Ordinal);
    }
}
