using CoS.Distributed.Training.Checkpoints;
using CoS.Distributed.Training.Training;
using TorchSharp;

namespace CoS.Distributed.Training.Tests.Training;

[Collection(FashionMnistTests.Name)]
public class TrainerTests(FashionMnistFixture data)
{
    internal static RunSpec SmallSpec(string model = "small_cnn", string activation = "cos", int epochs = 3, bool augment = false) => new()
    {
        Dataset = FashionMnistFixture.Small,
        Model = model,
        Activation = activation,
        Seed = 3,
        Depth = model == "mlp" ? 2 : null,
        Width = model == "mlp" ? 64 : null,
        Training = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 32,
            LearningRate = 0.05,
            Momentum = 0.9,
            Nesterov = true,
            WeightDecay = 5e-4,
            Schedule = ScheduleKind.Cosine,
            WarmupEpochs = epochs > 1 ? 1 : 0,
            LabelSmoothing = 0.1,
            Augment = augment,
            Threads = 2,
        },
    };

    private static object[] Comparable(TrainingResult result) =>
        result.Epochs.Select(m => (object)(m.Epoch, m.TrainLoss, m.TrainAccuracy, m.TestLoss, m.TestAccuracy, m.LearningRate)).ToArray();

    [Fact]
    public void SmallCnnReachesAtLeast85PercentOnTheRealFashionMnistTestSet()
    {
        var spec = new RunSpec
        {
            Dataset = FashionMnistFixture.Full,
            Model = "small_cnn",
            Activation = "cos",
            Seed = 1,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 128, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 5e-4, Threads = 2 },
        };
        using var run = TrainingRun.Create(spec, data.FullSplit);
        var result = Trainer.Train(run);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(60000, run.TrainSamples);
        Assert.True(result.Final!.TestAccuracy >= 0.85, $"test accuracy {result.Final.TestAccuracy:P2} after {result.Epochs.Count} epochs");
        Assert.All(result.Epochs, m => Assert.True(m.SamplesPerSecond > 0 && m.Seconds > 0));
    }

    [Fact]
    public void TheSameSeedGivesBitwiseIdenticalMetrics()
    {
        TrainingResult Once()
        {
            using var run = TrainingRun.Create(SmallSpec(augment: true), data.SmallSplit);
            return Trainer.Train(run);
        }
        var first = Once();
        var second = Once();
        Assert.Equal(TrainingOutcome.Completed, first.Outcome);
        Assert.Equal(Comparable(first), Comparable(second));
    }

    [Fact]
    public void ADifferentSeedGivesADifferentRun()
    {
        using var a = TrainingRun.Create(SmallSpec(epochs: 1), data.SmallSplit);
        using var b = TrainingRun.Create(SmallSpec(epochs: 1) with { Seed = 4 }, data.SmallSplit);
        Assert.NotEqual(Trainer.Train(a).Final!.TrainLoss, Trainer.Train(b).Final!.TrainLoss);
    }

    [Theory]
    [InlineData("small_cnn", "cos")]
    [InlineData("mlp", "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2")]
    public void ResumingFromACheckpointEndsExactlyWhereAnUninterruptedRunEnds(string model, string activation)
    {
        var spec = SmallSpec(model, activation, epochs: 3, augment: true);
        TrainingResult straight;
        using (var run = TrainingRun.Create(spec, data.SmallSplit)) straight = Trainer.Train(run);

        var checkpoint = new MemoryStream();
        using (var first = TrainingRun.Create(spec, data.SmallSplit))
        {
            Assert.Equal(TrainingOutcome.Completed, first.RunEpoch(CancellationToken.None).Outcome);
            first.SaveCheckpoint(checkpoint);
            // Run on past the checkpoint so that nothing the resumed run needs can come from this object.
            first.RunEpoch(CancellationToken.None);
        }
        torch.manual_seed(12345);
        checkpoint.Position = 0;
        TrainingResult resumed;
        using (var second = TrainingRun.Create(spec, data.SmallSplit))
        {
            second.RestoreCheckpoint(checkpoint);
            Assert.Equal(1, second.CompletedEpochs);
            resumed = Trainer.Train(second);
        }
        Assert.Equal(Comparable(straight), Comparable(resumed));
    }

    [Fact]
    public void ACheckpointWithOneFlippedByteIsRejectedAndTheRunIsUntouched()
    {
        var spec = SmallSpec(epochs: 2);
        using var run = TrainingRun.Create(spec, data.SmallSplit);
        run.RunEpoch(CancellationToken.None);
        var stream = new MemoryStream();
        run.SaveCheckpoint(stream);
        var bytes = stream.ToArray();
        bytes[bytes.Length / 2] ^= 0x10;

        using var fresh = TrainingRun.Create(spec, data.SmallSplit);
        var error = Assert.Throws<CheckpointException>(() => fresh.RestoreCheckpoint(new MemoryStream(bytes)));
        Assert.Equal(CheckpointProblem.HashMismatch, error.Problem);
        Assert.Equal(0, fresh.CompletedEpochs);
    }

    [Fact]
    public void ACheckpointFromAnotherConfigurationIsRejected()
    {
        using var run = TrainingRun.Create(SmallSpec(epochs: 2), data.SmallSplit);
        run.RunEpoch(CancellationToken.None);
        var stream = new MemoryStream();
        run.SaveCheckpoint(stream);
        stream.Position = 0;
        using var other = TrainingRun.Create(SmallSpec(epochs: 2, activation: "relu"), data.SmallSplit);
        Assert.Equal(CheckpointProblem.WrongConfiguration,
            Assert.Throws<CheckpointException>(() => other.RestoreCheckpoint(stream)).Problem);
    }

    [Fact]
    public void AHugeLearningRateEndsTheRunAsDivergedNotAsAnException()
    {
        var spec = SmallSpec("mlp", "relu", epochs: 3) with
        {
            Training = SmallSpec().Training with { LearningRate = 1e12, WarmupEpochs = 0, Schedule = ScheduleKind.Constant, Nesterov = false, Momentum = 0 },
        };
        using var run = TrainingRun.Create(spec, data.SmallSplit);
        var result = Trainer.Train(run);
        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Contains("loss became", result.Detail, StringComparison.Ordinal);
        Assert.True(result.Epochs.Count < 3);
    }

    [Fact]
    public void CancellationStopsTheRunAndItMustBeRestoredBeforeTrainingAgain()
    {
        using var run = TrainingRun.Create(SmallSpec(epochs: 2), data.SmallSplit);
        var stream = new MemoryStream();
        run.SaveCheckpoint(stream);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = Trainer.Train(run, cancellation: cancelled.Token);
        Assert.Equal(TrainingOutcome.Cancelled, result.Outcome);
        Assert.Empty(result.Epochs);
        Assert.Throws<InvalidOperationException>(() => run.RunEpoch(CancellationToken.None));
        stream.Position = 0;
        run.RestoreCheckpoint(stream);
        Assert.Equal(TrainingOutcome.Completed, Trainer.Train(run).Outcome);
    }

    [Fact]
    public void TheProgressCallbackSeesEveryEpochInOrder()
    {
        using var run = TrainingRun.Create(SmallSpec(epochs: 3), data.SmallSplit);
        var seen = new List<int>();
        var result = Trainer.Train(run, m => seen.Add(m.Epoch));
        Assert.Equal(new[] { 1, 2, 3 }, seen);
        Assert.Equal(3, result.Epochs.Count);
        Assert.True(result.Epochs[0].LearningRate < result.Epochs[1].LearningRate, "warm-up raises the rate in epoch 2");
    }

    [Fact]
    public void AskingForCudaOnACpuBuildNamesTheFix()
    {
        if (torch.cuda.is_available()) return;
        var spec = SmallSpec() with { Training = SmallSpec().Training with { Device = "cuda:0" } };
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Create(spec, data.SmallSplit));
        Assert.Contains("cuda:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchBackend=cuda", error.Message, StringComparison.Ordinal);
    }
}
