using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using CoS.Distributed.Grains.Interfaces.Sweeps;
using CoS.Distributed.Testing;

namespace CoS.Distributed.Integration.Tests;

[Collection(ClusterTests.Name)]
public sealed class FailoverTests(EmbeddedReference reference) : IDisposable
{
    private readonly AzuriteServer azurite = StartAzurite();
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];

    private SiloProcess StartSilo(string name, int slots)
    {
        var silo = SiloProcess.Start(name,
            "--Cos:Mode=Cluster", $"--Cos:SiloName={name}", $"--Cos:ClusterId={clusterId}", $"--Cos:StorageConnectionString={azurite.ConnectionString}",
            $"--Cos:SiloPort={SiloProcess.FreePort()}", $"--Cos:GatewayPort={SiloProcess.FreePort()}",
            $"--Cos:Slots:CpuSlots={slots}", "--Cos:Slots:ThreadsPerSlot=1", "--Cos:FastFailureDetection=true");
        silos.Add(silo);
        return silo;
    }

    private static AzuriteServer StartAzurite()
    {
        var server = new AzuriteServer();
        server.Start();
        return server;
    }

    private string Logs() => string.Join("\n", silos.Select(s => s.Log));

    [Fact]
    public async Task EveryCellCompletesWithUninterruptedResultsAfterASlotSiloIsKilledMidEpoch()
    {
        StartSilo("coordinator", slots: 0);
        var victim = StartSilo("worker-1", slots: 2);
        await using var client = await ClusterClient.ConnectToCluster(azurite.ConnectionString, clusterId);
        var name = "failover";
        var sweep = client.Grains.GetGrain<ISweepGrain>(name);
        var submitted = await sweep.Submit(Sweeps.FashionMnist(name));
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));

        string? victimSilo = null;
        SiloProcess? joiner = null;
        var killed = false;
        var status = await client.WaitUntilFinished(name, TimeSpan.FromMinutes(8), Logs, async s =>
        {
            if (killed) return;
            // A silo that joins mid-sweep starts pulling cells at once.
            if (joiner is null && s.Cells.Any(c => c.Status == CellStatus.Running)) joiner = StartSilo("worker-2", slots: 2);
            // Mid-epoch: a cell on the victim has reported an epoch and is training its next one.
            victimSilo ??= await SiloOf(client, victim);
            var running = s.Cells.FirstOrDefault(c => c.Status == CellStatus.Running && c.Slot?.Silo == victimSilo
                && c.CompletedEpochs >= 1 && c.CompletedEpochs < c.TotalEpochs);
            if (running is null || !await IsActive(client, joiner)) return;
            victim.Kill();
            killed = true;
        });
        Assert.True(killed, "the victim silo never ran a cell past its first epoch");

        Assert.Equal(12, status.Cells.Count);
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
        Assert.Contains(status.Cells, c => c.Attempt > 1);
        Assert.Contains("started on", joiner!.Log, StringComparison.Ordinal);
        foreach (var cell in status.Cells)
        {
            var expected = reference.FinalByCell[cell.CellId];
            Assert.Equal(expected.TestAccuracy, cell.LastEpoch!.TestAccuracy);
            Assert.Equal(expected.TestLoss, cell.LastEpoch.TestLoss);
            Assert.Equal(expected.TrainLoss, cell.LastEpoch.TrainLoss);
        }
        await AssertStatisticsMatchCells(sweep, status);
    }

    /// <summary>Each cell counted once, and the group numbers equal an independent two-pass computation.</summary>
    private static async Task AssertStatisticsMatchCells(ISweepGrain sweep, SweepStatus status)
    {
        var groups = await sweep.GetStatistics();
        Assert.Equal(3, groups.Count);
        var counted = groups.SelectMany(g => g.Cells.Select(c => c.CellId)).ToList();
        Assert.Equal(12, counted.Count);
        Assert.Equal(status.Cells.Select(c => c.CellId).Order(), counted.Order());
        foreach (var group in groups)
        {
            var finals = status.Cells.Where(c => c.GroupId == group.GroupId).Select(c => c.LastEpoch!.TestAccuracy).ToArray();
            Assert.Equal(4, group.Completed);
            var mean = finals.Sum() / finals.Length;
            var variance = finals.Sum(x => (x - mean) * (x - mean)) / (finals.Length - 1);
            Assert.Equal(mean, group.FinalTestAccuracy!.Mean, 12);
            Assert.Equal(variance, group.FinalTestAccuracy.Variance, 12);
            Assert.Equal(finals.Min(), group.FinalTestAccuracy.Min);
            Assert.Equal(finals.Max(), group.FinalTestAccuracy.Max);
            Assert.Equal(4, group.FinalTestAccuracy.N);
        }
    }

    private static async Task<bool> IsActive(ClusterClient client, SiloProcess? process) =>
        process is not null && await SiloOf(client, process) is not null;

    private static async Task<string?> SiloOf(ClusterClient client, SiloProcess process)
    {
        var hosts = await client.Grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return hosts.FirstOrDefault(h => h.SiloName == process.Name)?.SiloAddress.ToParsableString();
    }

    [Fact]
    public async Task ASweepRidesOutStorageBeingDownForTenSeconds()
    {
        StartSilo("worker", slots: 2);
        await using var client = await ClusterClient.ConnectToCluster(azurite.ConnectionString, clusterId);
        var name = "outage";
        var spec = Sweeps.FashionMnist(name) with { Activations = ["cos"], BaselineActivation = null };
        var submitted = await client.Grains.GetGrain<ISweepGrain>(name).Submit(spec);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));

        var stopped = false;
        var status = await client.WaitUntilFinished(name, TimeSpan.FromMinutes(8), Logs, async s =>
        {
            if (stopped || !s.Cells.Any(c => c.CompletedEpochs >= 1)) return;
            stopped = true;
            azurite.Stop();
            await Task.Delay(TimeSpan.FromSeconds(10));
            azurite.Start();
        });
        Assert.True(stopped);
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
        foreach (var cell in status.Cells)
            Assert.Equal(reference.FinalByCell[cell.CellId].TestAccuracy, cell.LastEpoch!.TestAccuracy);
        var groups = await client.Grains.GetGrain<ISweepGrain>(name).GetStatistics();
        Assert.Equal(4, Assert.Single(groups).Completed);
    }

    public void Dispose()
    {
        foreach (var silo in silos) silo.Dispose();
        azurite.Dispose();
    }
}
