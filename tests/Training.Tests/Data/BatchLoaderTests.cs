using CoS.Distributed.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

public class BatchLoaderTests
{
    // Every pixel of image n holds the value n, so a batch tells which samples it carries.
    private static InMemoryDataset Numbered(int count, int channels = 1, int side = 4)
    {
        using var scope = NewDisposeScope();
        var images = arange(count, ScalarType.Float32).view(count, 1, 1, 1).expand(count, channels, side, side).contiguous();
        var labels = arange(count, ScalarType.Int64).remainder(10);
        var normalisation = channels == 3 ? Normalisation.Cifar10 : Normalisation.FashionMnist;
        return new InMemoryDataset("numbered", images, labels, 10, normalisation);
    }

    private static List<long[]> Orders(BatchLoader loader, long seed, int epoch)
    {
        var orders = new List<long[]>();
        foreach (var (images, labels) in loader.Batches(seed, epoch))
        {
            using (images)
            using (labels)
            using (var ids = images[TensorIndex.Colon, 0, 0, 0].to_type(ScalarType.Int64))
            {
                var order = ids.data<long>().ToArray();
                Assert.Equal(order.Select(id => id % 10), labels.data<long>().ToArray());
                orders.Add(order);
            }
        }
        return orders;
    }

    [Fact]
    public void EachEpochYieldsEverySampleOnceWithTheLastBatchPartial()
    {
        using var data = Numbered(103);
        var loader = new BatchLoader(data, 10, shuffle: true, augment: false);

        var batches = Orders(loader, seed: 5, epoch: 0);

        Assert.Equal(11, loader.BatchesPerEpoch);
        Assert.Equal(11, batches.Count);
        Assert.All(batches.Take(10), batch => Assert.Equal(10, batch.Length));
        Assert.Equal(3, batches[^1].Length);
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), batches.SelectMany(b => b).Order());
        Assert.NotEqual(Enumerable.Range(0, 103).Select(i => (long)i), batches.SelectMany(b => b));
    }

    [Fact]
    public void WithoutShufflingBatchesFollowTheStoredOrder()
    {
        using var data = Numbered(25);
        var loader = new BatchLoader(data, 8, shuffle: false, augment: false);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), Orders(loader, 1, 3).SelectMany(b => b));
    }

    [Fact]
    public void OrderDependsOnlyOnSeedAndEpoch()
    {
        using var data = Numbered(64);
        var loader = new BatchLoader(data, 16, shuffle: true, augment: false);
        var otherLoader = new BatchLoader(data, 16, shuffle: true, augment: false);

        var order = Orders(loader, 7, 2).SelectMany(b => b).ToArray();

        Assert.Equal(order, Orders(otherLoader, 7, 2).SelectMany(b => b));
        Assert.NotEqual(order, Orders(loader, 7, 3).SelectMany(b => b));
        Assert.NotEqual(order, Orders(loader, 8, 2).SelectMany(b => b));
    }

    [Fact]
    public void SameSeedAndEpochGiveTheSameAugmentedPixels()
    {
        using var data = RandomImages(40);
        var loader = new BatchLoader(data, 16, shuffle: true, augment: true);

        using var scope = NewDisposeScope();
        var first = loader.Batches(11, 4).Select(b => b.Images).ToList();
        var again = loader.Batches(11, 4).Select(b => b.Images).ToList();
        var nextEpoch = loader.Batches(11, 5).Select(b => b.Images).ToList();

        Assert.Equal(3, first.Count);
        Assert.All(first.Zip(again), pair => Assert.True(Tensors.Identical(pair.First, pair.Second)));
        Assert.False(Tensors.Identical(first[0], nextEpoch[0]));
    }

    [Fact]
    public void AugmentedSamplesAreCropsWithin4PixelsAndFlipsOfTheOriginals()
    {
        using var data = RandomImages(24);
        var loader = new BatchLoader(data, 24, shuffle: false, augment: true);
        using var scope = NewDisposeScope();
        var (augmented, _) = loader.Batches(3, 0).Single();
        using var black = data.Normalisation.BlackPixel();

        // Try every crop offset and flip on every sample; each augmented sample must equal one of them.
        var matches = new List<(int Top, int Left, int Flip)>[24];
        for (var i = 0; i < 24; i++) matches[i] = [];
        for (var top = 0; top <= 8; top++)
            for (var left = 0; left <= 8; left++)
                for (var flip = 0; flip <= 1; flip++)
                {
                    using var candidate = CropAndFlip.Apply(data.Images, full(24, top), full(24, left), full(24, flip), black);
                    using var same = augmented.eq(candidate).flatten(1).all(1);
                    var hits = same.data<bool>().ToArray();
                    for (var i = 0; i < 24; i++)
                        if (hits[i]) matches[i].Add((top, left, flip));
                }

        Assert.All(matches, m => Assert.Single(m));
        var chosen = matches.Select(m => m[0]).ToList();
        Assert.Contains(chosen, c => c.Flip == 1);
        Assert.Contains(chosen, c => c.Flip == 0);
        Assert.True(chosen.Select(c => (c.Top, c.Left)).Distinct().Count() > 10, "offsets should vary between samples");
    }

    [Fact]
    public void EnumeratingBatchesLeavesTheGlobalRandomStateAlone()
    {
        using var data = RandomImages(30);
        var loader = new BatchLoader(data, 8, shuffle: true, augment: true);
        using var before = random.get_rng_state();

        foreach (var (images, labels) in loader.Batches(1, 1))
        {
            images.Dispose();
            labels.Dispose();
        }

        using var after = random.get_rng_state();
        Assert.True(Tensors.Identical(before, after));
    }

    [Fact]
    public void OnlyTheYieldedTensorsOutliveABatch()
    {
        using var data = RandomImages(50);
        var loader = new BatchLoader(data, 8, shuffle: true, augment: true);
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var duringEpoch = new List<long>();

        foreach (var (images, labels) in loader.Batches(2, 0))
        {
            duringEpoch.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            images.Dispose();
            labels.Dispose();
        }

        // The epoch's order and pad values live until the epoch ends; per batch only the yielded pair.
        Assert.All(duringEpoch, count => Assert.Equal(live + 4, count));
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using (var scope = NewDisposeScope())
        {
            // Leaving an epoch early and letting the caller's scope free the batch leaks nothing either.
            var (images, labels) = loader.Batches(2, 1).First();
            Assert.True(scope.Contains(images) && scope.Contains(labels));
        }

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void NonPositiveBatchSizeIsRejected()
    {
        using var data = Numbered(4);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, 0, true, false));

        Assert.Contains("batch size must be positive", error.Message, StringComparison.Ordinal);
    }

    private static InMemoryDataset RandomImages(int count)
    {
        using var generator = new Generator(123);
        using var pixels = randint(0, 256, [count, 3, 10, 10], ScalarType.Byte, generator: generator);
        using var labels = randint(0, 10, [count], ScalarType.Byte, generator: generator);
        var raw = new RawImages(pixels.bytes.ToArray(), labels.bytes.ToArray(), 3, 10, 10);
        return InMemoryDataset.FromRaw("random", raw, 10, Normalisation.Cifar10);
    }
}
