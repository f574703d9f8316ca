using CoS.Distributed.Grains.Groups;
using CoS.Distributed.Grains.Interfaces.Cells;
using CoS.Distributed.Grains.Interfaces.Groups;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CoS.Distributed.Grains.Tests.Groups;

[Collection(GrainClusterTests.Name)]
public class GroupGrainTests(GrainCluster cluster)
{
    [Fact]
    public async Task RecordsArrivingTogetherAreEachCountedOnceAndStoredBeforeTheyReturn()
    {
        var sweep = Samples.Name("sweep");
        var group = cluster.Grains.GetGrain<IGroupGrain>(GroupKey.Of(sweep, "group"));
        var spec = Samples.Cell() with { Seed = 0 };
        CellResult Result(int seed) => new($"cell-{seed}", seed, AttemptEnd.Completed, [Samples.Epoch(1, 0.5 + seed / 100.0)], null);

        var firsts = Enumerable.Range(1, 40).Select(seed => group.Record(spec, Result(seed)));
        var repeats = Enumerable.Range(1, 10).Select(seed => group.Record(spec, Result(seed)));
        var answers = await Task.WhenAll(firsts.Concat(repeats));

        Assert.Equal(40, answers.Count(recorded => recorded));
        var statistics = await group.GetStatistics();
        Assert.Equal(40, statistics.Completed);
        Assert.Equal(40, statistics.FinalTestAccuracy!.N);
        var storage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CosGrainStorage.Name);
        var stored = new GrainState<GroupGrainState>();
        await storage.ReadStateAsync("group", group.GetGrainId(), stored);
        Assert.NotNull(stored.State);
        Assert.Equal(Enumerable.Range(1, 40).Select(seed => $"cell-{seed}").Order(), stored.State.Results.Keys.Order());
    }
}
