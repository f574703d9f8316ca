using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Integration.Tests;

[Collection(ClusterTests.Name)]
public sealed class EmbeddedModeTests(EmbeddedReference reference)
{
    [Fact]
    public async Task AStoppedEmbeddedRunContinuesWhenStartedAgainAndEndsWithTheUninterruptedResults()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cos-embedded-").FullName;
        var name = "resume";
        var spec = Sweeps.FashionMnist(name) with { Activations = ["swish"], BaselineActivation = null };
        var gateway = SiloProcess.FreePort();
        int epochsBeforeStop;
        using (var first = EmbeddedSilo.Start("embedded-1", dataDirectory, gateway))
        {
            await using var client = await ClusterClient.ConnectToEmbedded(gateway);
            var submitted = await client.Grains.GetGrain<ISweepGrain>(name).Submit(spec);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
            SweepStatus status;
            do
            {
                await Task.Delay(200);
                status = await client.Grains.GetGrain<ISweepGrain>(name).GetStatus();
            }
            while (!status.Cells.Any(c => c.CompletedEpochs >= 1));
            epochsBeforeStop = status.Cells.Sum(c => c.CompletedEpochs);
            await client.DisposeAsync();
            Assert.True(first.Terminate(TimeSpan.FromSeconds(60)), "the silo did not stop within a minute of SIGTERM");
        }

        gateway = SiloProcess.FreePort();
        using var second = EmbeddedSilo.Start("embedded-2", dataDirectory, gateway);
        await using var again = await ClusterClient.ConnectToEmbedded(gateway);
        var before = await again.Grains.GetGrain<ISweepGrain>(name).GetStatus();
        Assert.True(before.Cells.Sum(c => c.CompletedEpochs) >= epochsBeforeStop);
        var finished = await again.WaitUntilFinished(name, TimeSpan.FromMinutes(5), () => second.Log);
        Assert.All(finished.Cells, c => Assert.Equal(CellStatus.Completed, c.Status));
        foreach (var cell in finished.Cells)
            Assert.Equal(reference.FinalByCell[cell.CellId].TestAccuracy, cell.LastEpoch!.TestAccuracy);
        second.Terminate(TimeSpan.FromSeconds(30));
        Directory.Delete(dataDirectory, recursive: true);
    }
}
