using CoS.Distributed.Training.Data;
using CoS.Distributed.Training.Tests.Data;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Training;

/// <summary>
/// Resume equality for the paper's networks: batch-norm running statistics (ShuffleNetV2), dropout drawing from the
/// run's own generator (SqueezeNet), momentum buffers and augmentation, on CIFAR-10 files in the standard binary format.
/// </summary>
public sealed class CifarResumeTests : IDisposable
{
    private readonly DataFiles files = new();
    private readonly DataSplit data;

    public CifarResumeTests()
    {
        for (var batch = 1; batch <= 5; batch++)
            files.Write($"data_batch_{batch}.bin", DataFiles.CifarRecords(24, firstImage: batch * 24));
        files.Write("test_batch.bin", DataFiles.CifarRecords(30));
        data = DatasetCatalog.Load(new DatasetOptions { Name = "cifar10", Path = files.Folder });
    }

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Theory]
    [InlineData("shufflenet_v2_x0_5", "cos")]
    [InlineData("squeezenet1_1", "swish")]
    public void ResumedCifarNetworkEndsWhereTheUninterruptedOneEnds(string model, string activation)
    {
        var spec = new RunSpec
        {
            Dataset = new DatasetOptions { Name = "cifar10", Path = files.Folder },
            Model = model,
            Activation = activation,
            Seed = 11,
            Training = new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.02, Augment = true, Threads = 2 },
        };
        TrainingResult straight;
        using (var run = TrainingRun.Create(spec, data)) straight = Trainer.Train(run);

        var checkpoint = new MemoryStream();
        using (var first = TrainingRun.Create(spec, data))
        {
            first.RunEpoch(CancellationToken.None);
            first.RunEpoch(CancellationToken.None);
            first.SaveCheckpoint(checkpoint);
        }
        checkpoint.Position = 0;
        TrainingResult resumed;
        using (var second = TrainingRun.Create(spec with { }, data))
        {
            second.RestoreCheckpoint(checkpoint);
            resumed = Trainer.Train(second);
        }
        Assert.Equal(TrainingOutcome.Completed, straight.Outcome);
        Assert.Equal(3, resumed.Epochs.Count);
        Assert.Equal(straight.Epochs.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)),
            resumed.Epochs.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)));
    }

    [Fact]
    public async Task TwoDropoutNetworksTrainingAtOnceInOneProcessGiveTheirSequentialResults()
    {
        RunSpec Spec(long seed) => new()
        {
            Dataset = new DatasetOptions { Name = "cifar10", Path = files.Folder },
            Model = "squeezenet1_1",
            Activation = "cos",
            Seed = seed,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.02, Augment = true, Threads = 1 },
        };
        IReadOnlyList<(double, double)> Train(RunSpec spec)
        {
            using var run = TrainingRun.Create(spec, data);
            return [.. Trainer.Train(run).Epochs.Select(m => (m.TrainLoss, m.TestLoss))];
        }
        var sequential = new[] { Train(Spec(1)), Train(Spec(2)) };
        // Slots share a process: dropout masks must not depend on what another run draws meanwhile.
        var concurrent = await Task.WhenAll(Task.Run(() => Train(Spec(1))), Task.Run(() => Train(Spec(2))));
        Assert.Equal(sequential[0], concurrent[0]);
        Assert.Equal(sequential[1], concurrent[1]);
    }

    [Fact]
    public void DropoutAugmentationAndBatchOrderDrawNothingFromTheGlobalGenerator()
    {
        var spec = new RunSpec
        {
            Dataset = new DatasetOptions { Name = "cifar10", Path = files.Folder },
            Model = "squeezenet1_1",
            Activation = "cos",
            Seed = 11,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.02, Augment = true, Threads = 2 },
        };
        IReadOnlyList<(double, double)> straight;
        using (var run = TrainingRun.Create(spec, data)) straight = [.. Trainer.Train(run).Epochs.Select(m => (m.TrainLoss, m.TestLoss))];

        using var scrambled = TrainingRun.Create(spec, data);
        var epochs = new List<(double, double)>();
        for (var epoch = 0; epoch < spec.Training.Epochs; epoch++)
        {
            // What another slot's initialisation does to the shared generator between two of this run's epochs.
            TorchSharp.torch.manual_seed(1000 + epoch);
            var metrics = scrambled.RunEpoch(CancellationToken.None).Metrics!;
            epochs.Add((metrics.TrainLoss, metrics.TestLoss));
        }

        Assert.Equal(straight, epochs);
    }
}
