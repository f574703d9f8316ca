using System.Text.Json;
using CoS.Distributed.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CoS.Distributed.Silo.Tests.Storage;

/// <summary>A real in-process Orleans silo whose grains keep their state through <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageCluster : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cos-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public FileGrainStorage Storage =>
        (FileGrainStorage)Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ProgressGrain.Storage);

    public async Task InitializeAsync() => Cluster = await StartAsync(Root);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    public static async Task<InProcessTestCluster> StartAsync(string root)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddFileGrainStorage(ProgressGrain.Storage, o => o.RootDirectory = root));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

public sealed class FileGrainStorageTests(FileGrainStorageCluster silo) : IClassFixture<FileGrainStorageCluster>
{
    private IProgressGrain Grain(string key) => silo.Cluster.Client.GetGrain<IProgressGrain>(key);

    private string FileOf(IProgressGrain grain) => silo.Storage.PathOf("progress", grain.GetGrainId());

    [Fact]
    public async Task State_survives_deactivation_in_one_json_file_per_grain()
    {
        var grain = Grain("round-trip");
        await grain.Record(1, 0.61);
        await grain.Record(2, 0.74);

        await silo.Cluster.DeactivateAsync(grain);
        var state = await grain.Read();

        Assert.Equal("running", state.Status);
        Assert.Equal([0.61, 0.74], state.Accuracies);
        Assert.Equal([1, 2], state.Finished.Keys.Order());
        Assert.True(await grain.RecordExists());
        var path = FileOf(grain);
        Assert.Equal(Path.Combine(silo.Root, "progress"), Path.GetDirectoryName(path));
        using var file = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        Assert.Equal(grain.GetGrainId().ToString(), file.RootElement.GetProperty("grainId").GetString());
        Assert.Equal("running", file.RootElement.GetProperty("state").GetProperty("Status").GetString());
        // Beside the state file only its hidden lock file, which writers in any process lock; no temp file.
        Assert.Equal([$".{Path.GetFileName(path)}.lock", Path.GetFileName(path)],
            Directory.GetFiles(Path.GetDirectoryName(path)!, "*round-trip*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task State_survives_a_restart_of_the_silo()
    {
        var root = Directory.CreateTempSubdirectory("cos-grains-restart-").FullName;
        try
        {
            await using (var first = await FileGrainStorageCluster.StartAsync(root))
                await first.Client.GetGrain<IProgressGrain>("restart").Record(1, 0.5);

            await using var second = await FileGrainStorageCluster.StartAsync(root);
            var state = await second.Client.GetGrain<IProgressGrain>("restart").Read();

            Assert.Equal([0.5], state.Accuracies);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Clearing_deletes_the_file_and_starts_the_grain_afresh()
    {
        var grain = Grain("clear");
        await grain.Record(1, 0.3);
        Assert.True(File.Exists(FileOf(grain)));

        await grain.Clear();
        await silo.Cluster.DeactivateAsync(grain);

        Assert.False(File.Exists(FileOf(grain)));
        Assert.False(await grain.RecordExists());
        Assert.Equal(("pending", 0), ((await grain.Read()).Status, (await grain.Read()).Accuracies.Count));
    }

    [Fact]
    public async Task Clearing_a_grain_that_never_wrote_leaves_it_empty()
    {
        var id = GrainId.Create("progress", "never-written");
        var state = new GrainState<ProgressState>();
        await silo.Storage.ReadStateAsync("never-used-state", id, state);

        await silo.Storage.ClearStateAsync("never-used-state", id, state);

        Assert.Equal((false, null, "pending"), (state.RecordExists, state.ETag, state.State!.Status));
    }

    [Fact]
    public async Task A_write_or_clear_with_a_stale_etag_is_refused()
    {
        var id = GrainId.Create("progress", "etag-conflict");
        var first = new GrainState<ProgressState>();
        var second = new GrainState<ProgressState>();
        await silo.Storage.ReadStateAsync("progress", id, first);
        await silo.Storage.ReadStateAsync("progress", id, second);

        first.State!.Status = "first";
        await silo.Storage.WriteStateAsync("progress", id, first);
        second.State!.Status = "second";
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync("progress", id, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.ClearStateAsync("progress", id, second));

        Assert.Equal(first.ETag, refused.StoredEtag);
        Assert.Equal("(none)", refused.CurrentEtag);
        var reread = new GrainState<ProgressState>();
        await silo.Storage.ReadStateAsync("progress", id, reread);
        Assert.Equal(("first", first.ETag), (reread.State!.Status, reread.ETag));
        reread.State.Status = "third";
        await silo.Storage.WriteStateAsync("progress", id, reread);
        Assert.NotEqual(first.ETag, reread.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync("progress", id, first));
    }

    [Fact]
    public async Task A_corrupt_state_file_fails_activation_with_an_error_naming_the_file()
    {
        var grain = Grain("corrupt");
        await grain.Record(1, 0.9);
        await silo.Cluster.DeactivateAsync(grain);
        var path = FileOf(grain);
        await File.WriteAllTextAsync(path, "{\"grainId\": \"progress/corrupt\", \"etag\": \"1\", \"state\": {\"Accuracies\": [0.9, ");

        var error = await Assert.ThrowsAnyAsync<Exception>(grain.Read);

        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("is damaged: it is not valid JSON", error.ToString(), StringComparison.Ordinal);
    }
}
