using CoS.Distributed.Grains.Sweeps;
using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Grains.Tests.Sweeps;

public sealed class CellSpecsTests
{
    [Fact]
    public void ARunSpecCarriesEverySettingOfTheCell()
    {
        var cell = SampleSpecs.Cell() with { WidthMultiplier = 0.5, Depth = 2, Width = 64, Optimizer = "Adam", Schedule = "STEP", Dataset = SampleSpecs.Cell().Dataset with { Path = "/data/fm" } };
        var run = CellSpecs.ToRunSpec(cell, threads: 2, device: "cuda:1");

        Assert.Equal("fashion-mnist", run.Dataset.Name);
        Assert.Equal("/data/fm", run.Dataset.Path);
        Assert.Equal(100, run.Dataset.TrainPerClass);
        Assert.Equal(50, run.Dataset.TestPerClass);
        Assert.Equal(3, run.Dataset.SubsetSeed);
        Assert.Equal("small_cnn", run.Model);
        Assert.Equal("cos", run.Activation);
        Assert.Equal(7, run.Seed);
        Assert.Equal(0.5, run.WidthMultiplier);
        Assert.Equal(2, run.Depth);
        Assert.Equal(64, run.Width);
        var t = run.Training;
        Assert.Equal(12, t.Epochs);
        Assert.Equal(64, t.BatchSize);
        Assert.Equal(OptimizerKind.Adam, t.Optimizer);
        Assert.Equal(0.05, t.LearningRate);
        Assert.Equal(0.9, t.Momentum);
        Assert.True(t.Nesterov);
        Assert.Equal(5e-4, t.WeightDecay);
        Assert.Equal(ScheduleKind.Step, t.Schedule);
        Assert.Equal(2, t.WarmupEpochs);
        Assert.Equal(30, t.StepEpochs);
        Assert.Equal(0.1, t.StepGamma);
        Assert.Equal(0.1, t.LabelSmoothing);
        Assert.True(t.Augment);
        Assert.Equal(2, t.Threads);
        Assert.Equal("cuda:1", t.Device);
    }

    [Theory]
    [InlineData("sgd", "cosine", OptimizerKind.Sgd, ScheduleKind.Cosine)]
    [InlineData("adam", "constant", OptimizerKind.Adam, ScheduleKind.Constant)]
    [InlineData(" SGD ", "Step", OptimizerKind.Sgd, ScheduleKind.Step)]
    public void OptimizerAndScheduleNamesMapToTheTrainingCoresKinds(string optimizer, string schedule, OptimizerKind kind, ScheduleKind scheduleKind)
    {
        var run = CellSpecs.ToRunSpec(SampleSpecs.Cell() with { Optimizer = optimizer, Schedule = schedule }, null, "cpu");
        Assert.Equal(kind, run.Training.Optimizer);
        Assert.Equal(scheduleKind, run.Training.Schedule);
        Assert.Null(run.Training.Threads);
    }

    [Fact]
    public void AnUnknownOptimizerOrScheduleIsRefusedByName()
    {
        var optimizer = Assert.Throws<ArgumentException>(() => CellSpecs.ToRunSpec(SampleSpecs.Cell() with { Optimizer = "rmsprop" }, null, "cpu"));
        Assert.Contains("'rmsprop'", optimizer.Message, StringComparison.Ordinal);
        Assert.Contains("sgd or adam", optimizer.Message, StringComparison.Ordinal);
        var schedule = Assert.Throws<ArgumentException>(() => CellSpecs.ToRunSpec(SampleSpecs.Cell() with { Schedule = "linear" }, null, "cpu"));
        Assert.Contains("'linear'", schedule.Message, StringComparison.Ordinal);
        Assert.Contains("cosine, step, constant", schedule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualCellsGiveRunsWithEqualFingerprints()
    {
        var a = CellSpecs.ToRunSpec(SampleSpecs.Cell(), 2, "cpu");
        var b = CellSpecs.ToRunSpec(SampleSpecs.Cell(), 2, "cpu");
        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.NotEqual(a.Fingerprint(), CellSpecs.ToRunSpec(SampleSpecs.Cell() with { Seed = 8 }, 2, "cpu").Fingerprint());
    }

    [Fact]
    public void DescriptionNamesTheSettingsAUserTellsCellsApartBy()
    {
        var text = CellSpecs.Describe(SampleSpecs.Cell() with { Depth = 4 });
        Assert.Equal("fashion-mnist/small_cnn/cos, seed 7, epochs 12, batch 64, sgd, lr 0.05, momentum 0.9, nesterov, wd 0.0005, cosine, warmup 2, label smoothing 0.1, augment, depth 4", text);
    }
}
