using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Integration.Tests;

/// <summary>
/// The reference: the test sweep run uninterrupted in embedded mode (one silo process, 2 CPU slots of 1 thread,
/// the same threads per slot as the cluster tests). Cell ids depend only on the configuration, so results of
/// any other run of the same cells are compared by id.
/// </summary>
public sealed class EmbeddedReference : IAsyncLifetime
{
    public IReadOnlyDictionary<string, EpochReport> FinalByCell { get; private set; } = new Dictionary<string, EpochReport>();

    public async Task InitializeAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cos-reference-").FullName;
        var gateway = SiloProcess.FreePort();
        using var silo = EmbeddedSilo.Start("reference", dataDirectory, gateway);
        await using var client = await ClusterClient.ConnectToEmbedded(gateway);
        var name = "reference";
        var submitted = await client.Grains.GetGrain<ISweepGrain>(name).Submit(Sweeps.FashionMnist(name));
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await client.WaitUntilFinished(name, TimeSpan.FromMinutes(6), () => silo.Log);
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
        FinalByCell = status.Cells.ToDictionary(c => c.CellId, c => c.LastEpoch!);
        silo.Terminate(TimeSpan.FromSeconds(30));
        Directory.Delete(dataDirectory, recursive: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

internal static class EmbeddedSilo
{
    public static SiloProcess Start(string name, string dataDirectory, int gatewayPort) => SiloProcess.Start(name,
        "--Cos:Mode=Embedded", $"--Cos:DataDirectory={dataDirectory}",
        $"--Cos:SiloPort={SiloProcess.FreePort()}", $"--Cos:GatewayPort={gatewayPort}",
        "--Cos:Slots:CpuSlots=2", "--Cos:Slots:ThreadsPerSlot=1");
}

[CollectionDefinition(Name)]
public sealed class ClusterTests : ICollectionFixture<EmbeddedReference>
{
    public const string Name = "Cluster runs against the embedded reference";
}
