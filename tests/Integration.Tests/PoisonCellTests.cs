using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Testing;

namespace CoS.Distributed.Integration.Tests;

/// <summary>
/// A cell that kills the process training it (here Environment.FailFast, as a native out-of-memory or a libtorch
/// crash would), in a real multi-process cluster on Azurite whose crashed workers are restarted as Kubernetes restarts
/// a pod. Before lost slots were budgeted, the cell went back to the front of the queue after every crash and took
/// down each worker in turn, for ever.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class PoisonCellTests(EmbeddedReference reference) : IDisposable
{
    private const long PoisonSeed = 3;
    private readonly AzuriteServer azurite = StartAzurite();
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = "poison-" + Guid.NewGuid().ToString("N")[..8];

    private static AzuriteServer StartAzurite()
    {
        var server = new AzuriteServer();
        server.Start();
        return server;
    }

    private string[] Arguments(string name, int slots) =>
    [
        "--Cos:Mode=Cluster", $"--Cos:SiloName={name}", $"--Cos:ClusterId={clusterId}", $"--Cos:StorageConnectionString={azurite.ConnectionString}",
        $"--Cos:SiloPort={SiloProcess.FreePort()}", $"--Cos:GatewayPort={SiloProcess.FreePort()}",
        $"--Cos:Slots:CpuSlots={slots}", "--Cos:Slots:ThreadsPerSlot=1", "--Cos:FastFailureDetection=true",
    ];

    private SiloProcess StartWorker(string name)
    {
        var silo = SiloProcess.StartFaulty(name, new Dictionary<string, string> { ["COS_TEST_CRASH_ON_SEED"] = $"{PoisonSeed}" }, Arguments(name, slots: 1));
        silos.Add(silo);
        return silo;
    }

    private string Logs() => string.Join("\n", silos.Select(s => s.Log));

    [Fact]
    public async Task ACellThatCrashesItsProcessEndsFailedAfterItsSlotBudgetAndTheOtherCellsFinishUnharmed()
    {
        silos.Add(SiloProcess.Start("coordinator", Arguments("coordinator", slots: 0)));
        var workers = new List<SiloProcess> { StartWorker("worker-a"), StartWorker("worker-b") };
        await using var client = await ClusterClient.ConnectToCluster(azurite.ConnectionString, clusterId);
        var name = "poison";
        var spec = Sweeps.FashionMnist(name) with { Activations = ["relu"], BaselineActivation = null, MaxSlotLosses = 2 };
        var submitted = await client.Grains.GetGrain<ISweepGrain>(name).Submit(spec);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));

        var crashes = 0;
        var status = await client.WaitUntilFinished(name, TimeSpan.FromMinutes(8), Logs, _ =>
        {
            // A crashed worker comes back under a new name, as a restarted pod does.
            foreach (var crashed in workers.Where(w => w.HasExited).ToList())
            {
                Assert.NotEqual(0, crashed.ExitCode);
                crashes++;
                workers.Remove(crashed);
                workers.Add(StartWorker($"{crashed.Name}-{crashes}"));
            }
            return Task.CompletedTask;
        });

        var poison = Assert.Single(status.Cells, c => c.Status == CellStatus.Failed);
        Assert.Contains("lost its slot 2 times", poison.Error, StringComparison.Ordinal);
        Assert.Equal(2, crashes + workers.Count(w => w.HasExited));
        var healthy = status.Cells.Where(c => c != poison).ToList();
        Assert.Equal(3, healthy.Count);
        foreach (var cell in healthy)
        {
            Assert.Equal(CellStatus.Completed, cell.Status);
            Assert.Equal(reference.FinalByCell[cell.CellId].TestAccuracy, cell.LastEpoch!.TestAccuracy);
            Assert.Equal(reference.FinalByCell[cell.CellId].TestLoss, cell.LastEpoch.TestLoss);
        }
        var group = Assert.Single(await client.Grains.GetGrain<ISweepGrain>(name).GetStatistics());
        Assert.Equal(3, group.Completed);
        Assert.Equal(1, group.Failed);
        Assert.Equal(4, group.Cells.Count);
    }

    public void Dispose()
    {
        foreach (var silo in silos) silo.Dispose();
        azurite.Dispose();
    }
}
