using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Scheduling;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Grains.Tests.Sweeps;

[Collection(GrainClusterTests.Name)]
public class SweepGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task SubmittingTheSameSweepTwiceChangesNothing()
    {
        var name = Samples.Name("sweep");
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(name);
        var first = await sweep.Submit(Samples.Sweep(name, 1, 2, 3));
        Assert.True(first.Accepted, string.Join("; ", first.Problems));
        Assert.False(first.AlreadySubmitted);
        Assert.Equal(6, first.CellCount);

        var second = await sweep.Submit(Samples.Sweep(name, 1, 2, 3));
        Assert.True(second.Accepted);
        Assert.True(second.AlreadySubmitted);
        Assert.Equal(6, second.CellCount);

        var status = await sweep.GetStatus();
        Assert.Equal(6, status.Cells.Count);
        Assert.Equal(6, status.Cells.Select(c => c.CellId).Distinct().Count());
        Assert.Equal(2, status.Cells.Select(c => c.GroupId).Distinct().Count());
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Pending, c.Status));
        await sweep.Cancel();
    }

    [Fact]
    public async Task ADifferentSweepUnderAnExistingNameIsRefusedWithWhatDiffers()
    {
        var name = Samples.Name("sweep");
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(name);
        Assert.True((await sweep.Submit(Samples.Sweep(name, 1, 2))).Accepted);
        var refused = await sweep.Submit(Samples.Sweep(name, 1, 3));
        Assert.False(refused.Accepted);
        var problem = Assert.Single(refused.Problems);
        Assert.Contains("seeds", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, (await sweep.GetStatus()).Cells.Count);
        await sweep.Cancel();
    }

    [Fact]
    public async Task AnInvalidSweepIsRefusedWithEveryProblemBeforeAnyCellExists()
    {
        var name = Samples.Name("sweep");
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(name);
        var bad = Samples.Sweep(name) with
        {
            Models = ["resnet9000"],
            Activations = ["relu", "relu", "x*+2"],
            Seeds = [-1],
            Datasets = [new DatasetSpec { Name = "imagenet" }],
            Training = new HyperParameterAxes { Epochs = [0], LearningRates = [-0.1], BatchSizes = [] },
        };
        var result = await sweep.Submit(bad);
        Assert.False(result.Accepted);
        foreach (var expected in new[] { "resnet9000", "imagenet", "x*+2", "-1", "learning", "epoch", "batch", "more than once" })
            Assert.Contains(result.Problems, p => p.Contains(expected, StringComparison.OrdinalIgnoreCase));
        Assert.False((await sweep.GetStatus()).Exists);
    }

    [Fact]
    public async Task CancellingASweepDropsItsPendingCells()
    {
        var name = Samples.Name("sweep");
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(name);
        Assert.True((await sweep.Submit(Samples.Sweep(name, 1, 2))).Accepted);
        Assert.Contains(name, (await cluster.Grains.GetGrain<ISchedulerGrain>(0).GetStatus()).ActiveSweeps);
        await sweep.Cancel();
        Assert.DoesNotContain(name, (await cluster.Grains.GetGrain<ISchedulerGrain>(0).GetStatus()).ActiveSweeps);
        var status = await sweep.GetStatus();
        Assert.True(status.Cancelled);
        // Cell grains report their cancellation one-way; the table follows shortly.
        for (var i = 0; i < 50 && !status.Cells.All(c => c.Status == CellStatus.Cancelled); i++)
        {
            await Task.Delay(100);
            status = await sweep.GetStatus();
        }
        Assert.All(status.Cells, c => Assert.Equal(CellStatus.Cancelled, c.Status));
    }
}
