using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Training;

/// <summary>
/// LibTorch's process-wide generator is shared by every slot of a silo: a run uses it only to initialise its
/// weights (under a lock), so nothing another run does to it reaches this one.
/// </summary>
[Collection(FashionMnistTests.Name)]
public class GlobalGeneratorTests(FashionMnistFixture data)
{
    private static float[][] Weights(TrainingRun run) => [.. run.Model.parameters().Select(p => p.data<float>().ToArray())];

    [Fact]
    public async Task RunsBuiltWhileAnotherRunRestoresCheckpointsGetTheWeightsTheirSeedGives()
    {
        var built = TrainerTests.SmallSpec(epochs: 2) with { Seed = 11 };
        float[][] alone;
        using (var run = TrainingRun.Create(built, data.SmallSplit)) alone = Weights(run);
        // A checkpoint of another seed after an epoch: the generator state it carried is nowhere near seed 11's.
        var restored = TrainerTests.SmallSpec(epochs: 2);
        var checkpoint = new MemoryStream();
        using (var run = TrainingRun.Create(restored, data.SmallSplit))
        {
            run.RunEpoch(CancellationToken.None);
            run.SaveCheckpoint(checkpoint);
        }
        var bytes = checkpoint.ToArray();

        using var stop = new CancellationTokenSource();
        using var restoring = new ManualResetEventSlim();
        var restores = 0;
        var restorer = Task.Run(() =>
        {
            using var target = TrainingRun.Create(restored, data.SmallSplit);
            restoring.Set();
            while (!stop.IsCancellationRequested)
            {
                target.RestoreCheckpoint(new MemoryStream(bytes));
                Interlocked.Increment(ref restores);
            }
        });
        var builds = 0;
        var different = 0;
        try
        {
            Assert.True(restoring.Wait(TimeSpan.FromSeconds(60)), "the restoring run did not start");
            for (; (builds < 40 || Volatile.Read(ref restores) < 40) && !restorer.IsCompleted; builds++)
            {
                using var run = TrainingRun.Create(built, data.SmallSplit);
                if (!Weights(run).Zip(alone).All(p => p.First.AsSpan().SequenceEqual(p.Second))) different++;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await restorer;
        }

        Assert.True(different == 0, $"{different} of {builds} runs built while {restores} restores ran got other initial weights");
    }
}
