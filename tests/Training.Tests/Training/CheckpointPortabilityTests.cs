using CoS.Distributed.Training.Checkpoints;
using CoS.Distributed.Training.Tests.Checkpoints;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Training;

/// <summary>A checkpoint belongs to a configuration, not to the device or thread count that wrote it.</summary>
[Collection(FashionMnistTests.Name)]
public class CheckpointPortabilityTests(FashionMnistFixture data)
{
    [Fact]
    public void ACheckpointWrittenOnTheCpuRestoresIntoARunForAnotherDeviceAndThreadCount()
    {
        var spec = TrainerTests.SmallSpec(epochs: 2);
        var elsewhere = spec with { Training = spec.Training with { Device = "cuda:1", Threads = null } };
        var bytes = new MemoryStream();
        using (var run = TrainingRun.Create(spec, data.SmallSplit))
        {
            run.RunEpoch(CancellationToken.None);
            run.SaveCheckpoint(bytes);
        }

        // This machine cannot build a run on cuda:1; reading for its fingerprint is what such a run does first.
        var read = CheckpointFormat.Read(new MemoryStream(bytes.ToArray()), elsewhere.Fingerprint());
        Assert.Equal(1, read.Epoch);
        Assert.Equal(spec.Fingerprint(), elsewhere.Fingerprint());
        using var otherThreads = TrainingRun.Create(spec with { Training = spec.Training with { Threads = null } }, data.SmallSplit);
        otherThreads.RestoreCheckpoint(new MemoryStream(bytes.ToArray()));
        Assert.Equal(1, otherThreads.CompletedEpochs);
    }

    [Fact]
    public void EverySettingThatChangesResultsChangesTheFingerprint()
    {
        var spec = TrainerTests.SmallSpec();
        var t = spec.Training;
        RunSpec[] changed =
        [
            spec with { Seed = spec.Seed + 1 },
            spec with { Activation = "relu" },
            spec with { Dataset = spec.Dataset with { TrainPerClass = 61 } },
            spec with { Training = t with { LearningRate = t.LearningRate * 2 } },
            spec with { Training = t with { Epochs = t.Epochs + 1 } },
            spec with { Training = t with { BatchSize = t.BatchSize + 1 } },
            spec with { Training = t with { Augment = !t.Augment } },
        ];

        Assert.Equal(changed.Length + 1, changed.Select(s => s.Fingerprint()).Append(spec.Fingerprint()).Distinct().Count());
    }

    [Fact]
    public void AVersion1CheckpointResumesOnTheDeviceAndThreadCountThatWroteIt()
    {
        var spec = TrainerTests.SmallSpec(epochs: 2);
        var current = new MemoryStream();
        using (var run = TrainingRun.Create(spec, data.SmallSplit))
        {
            run.RunEpoch(CancellationToken.None);
            run.SaveCheckpoint(current);
        }
        var state = CheckpointFormat.Read(new MemoryStream(current.ToArray()), spec.Fingerprint());
        // Not a generator state LibTorch would take (it aborts the process on one): format 1's RNG block is skipped.
        var version1 = Version1Checkpoints.Encode(state, spec.FingerprintVersion1(), new byte[64]);

        using var resumed = TrainingRun.Create(spec, data.SmallSplit);
        resumed.RestoreCheckpoint(new MemoryStream(version1));
        using var fromCurrent = TrainingRun.Create(spec, data.SmallSplit);
        fromCurrent.RestoreCheckpoint(new MemoryStream(current.ToArray()));
        Assert.Equal(1, resumed.CompletedEpochs);
        Assert.Equal(fromCurrent.RunEpoch(CancellationToken.None).Metrics!.TestLoss, resumed.RunEpoch(CancellationToken.None).Metrics!.TestLoss);

        using var otherThreads = TrainingRun.Create(spec with { Training = spec.Training with { Threads = null } }, data.SmallSplit);
        var error = Assert.Throws<CheckpointException>(() => otherThreads.RestoreCheckpoint(new MemoryStream(version1)));
        Assert.Equal(CheckpointProblem.WrongConfiguration, error.Problem);
        Assert.Contains("version 1 resumes only on the device and thread count that wrote it", error.Message, StringComparison.Ordinal);
    }
}
