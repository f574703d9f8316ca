using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void DefaultsAreValid() => Assert.Empty(new TrainingOptions().Validate());

    [Fact]
    public void EveryInvalidSettingIsReportedTogetherByName()
    {
        var problems = new TrainingOptions
        {
            Epochs = 0,
            BatchSize = -1,
            LearningRate = 0,
            Momentum = 1.5,
            WeightDecay = -1,
            LabelSmoothing = 1,
            Threads = 0,
            Device = "tpu",
        }.Validate();
        foreach (var key in new[] { "epochs", "batch_size", "learning_rate", "momentum", "weight_decay", "label_smoothing", "threads", "device" })
            Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cpu", true)]
    [InlineData("cuda:1", true)]
    [InlineData("CUDA", true)]
    [InlineData("cuda:x", false)]
    [InlineData("gpu0", false)]
    public void DeviceNamesAreCpuOrCudaN(string name, bool valid) => Assert.Equal(valid, DeviceName.TryParse(name, out _));
}
